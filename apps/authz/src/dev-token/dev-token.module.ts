import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { DevTokenController } from './dev-token.controller';

/** Imported only when AUTHZ_DEV_TOKENS is on; otherwise /auth/token does not exist (404). */
@Module({ imports: [KeysModule], controllers: [DevTokenController] })
export class DevTokenModule {}
