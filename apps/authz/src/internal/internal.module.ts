import { Module } from '@nestjs/common';
import { RevocationModule } from '../revocation/revocation.module';
import { TokenStatusController } from './token-status.controller';

@Module({ imports: [RevocationModule], controllers: [TokenStatusController] })
export class InternalModule {}
