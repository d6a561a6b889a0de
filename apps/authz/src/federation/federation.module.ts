import { Module } from '@nestjs/common';
import { RevocationModule } from '../revocation/revocation.module';
import { FederatedLoginService } from './federated-login.service';
import { UpstreamClients } from './upstream-clients.service';
import { UpstreamRefreshService } from './upstream-refresh.service';

/** Upstream identity providers (OIDC federation, GitHub): this server acting as their relying party. */
@Module({
  imports: [RevocationModule],
  providers: [UpstreamClients, FederatedLoginService, UpstreamRefreshService],
  exports: [FederatedLoginService, UpstreamRefreshService],
})
export class FederationModule {}
