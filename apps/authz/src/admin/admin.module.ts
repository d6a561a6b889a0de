import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { ObservabilityModule, type AuditSettings } from '@app/observability';
import { OAuthStoreModule } from '@app/oauth-store';
import { authzConfig } from '../config/authz.config';
import { RevocationBroadcaster } from '../revocation/revocation-broadcaster';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import type { AdminConfig } from './admin.config';
import { ADMIN_CONFIG, AdminService } from './admin.service';

/** The CLI publishes revocations like authz does, but it is not an authz instance: it never says hello nor relays. */
@Injectable()
class CliRevocationBroadcaster extends RevocationBroadcaster {
  override async onApplicationBootstrap(): Promise<void> {}
}

/** Audit lines on stdout would mix with the command's answer: the CLI's stdout channel is stderr. */
function cliAudit(audit: AuditSettings): AuditSettings {
  return audit.sink.kind === 'stdout' ? { ...audit, sink: { kind: 'stderr' } } : audit;
}

/** authz's store, revocation and audit, without its HTTP side: what the admin CLI runs on. */
@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        authzConfig.forRoot(config.authz),
        ObservabilityModule.forRoot({
          app: 'admin',
          audit: cliAudit(config.authz.audit),
          metricsRoute: false,
        }),
        OAuthStoreModule.forRoot(config.authz.store),
      ],
      providers: [
        { provide: ADMIN_CONFIG, useValue: config },
        { provide: RevocationBroadcaster, useClass: CliRevocationBroadcaster },
        TokenRevocationService,
        AdminService,
      ],
    };
  }
}
