import { Module } from '@nestjs/common';
import { CimdModule } from '../cimd/cimd.module';
import { OutboundModule } from '../outbound/outbound.module';
import { ClientAssertionReplayCache } from './client-assertion-replay.cache';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientsService } from './clients.service';
import { PrivateKeyJwtVerifier } from './private-key-jwt.verifier';

@Module({
  imports: [CimdModule, OutboundModule],
  providers: [ClientsService, ClientAuthenticator, PrivateKeyJwtVerifier, ClientAssertionReplayCache],
  exports: [ClientsService, ClientAuthenticator],
})
export class ClientsModule {}
