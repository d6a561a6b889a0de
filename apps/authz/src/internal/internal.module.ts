import { Module } from '@nestjs/common';
import { RevocationModule } from '../revocation/revocation.module';
import { TokenStatusFrontDoor } from './token-status.front-door';

/** `/internal/token-status` has no Nest route: TokenStatusFrontDoor serves it ahead of Express. */
@Module({
  imports: [RevocationModule],
  providers: [TokenStatusFrontDoor],
  exports: [TokenStatusFrontDoor],
})
export class InternalModule {}
