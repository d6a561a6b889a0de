import { Module } from '@nestjs/common';
import { RevocationModule } from '../revocation/revocation.module';
import { TokenStatusController } from './token-status.controller';
import { TokenStatusFastPath } from './token-status.fast-path';

@Module({
  imports: [RevocationModule],
  controllers: [TokenStatusController],
  providers: [TokenStatusFastPath],
  exports: [TokenStatusFastPath],
})
export class InternalModule {}
