import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { KeysModule } from '../keys/keys.module';
import { RevocationController } from './revocation.controller';
import { TokenRevocationService } from './token-revocation.service';

@Module({
  imports: [ClientsModule, KeysModule],
  controllers: [RevocationController],
  providers: [TokenRevocationService],
  exports: [TokenRevocationService],
})
export class RevocationModule {}
