import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { KeysModule } from '../keys/keys.module';
import { BearerCaller } from './bearer-caller';
import { RevocationBroadcaster } from './revocation-broadcaster';
import { RevocationController } from './revocation.controller';
import { TokenRevocationService } from './token-revocation.service';

@Module({
  imports: [ClientsModule, KeysModule],
  controllers: [RevocationController],
  providers: [RevocationBroadcaster, TokenRevocationService, BearerCaller],
  exports: [RevocationBroadcaster, TokenRevocationService, BearerCaller],
})
export class RevocationModule {}
