import { DynamicModule, Module, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthzInstances } from './authz-instances';
import { GrantStatusClient } from './grant-status.client';
import { GrantStatusService } from './grant-status.service';
import { OutageLog } from './outage-log';
import { RedisRevocationFeed } from './redis-revocation.feed';
import { ResourceServerAuthenticator } from './resource-server.authenticator';
import {
  RESOURCE_SERVER_OPTIONS,
  resolveResourceServerOptions,
  type ResolvedResourceServerOptions,
  type ResourceServerOptions,
} from './resource-server.options';
import { RevocationFeed } from './revocation-feed';
import { StreamRevocationFeed } from './stream-revocation.feed';
import { VerifiedTokenCache } from './verified-token.cache';

export interface ResourceServerModuleOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => ResourceServerOptions;
}

/** The push channel: Redis pub/sub in cluster mode (STORE_URL), authz's internal stream otherwise. */
function createFeed(options: ResolvedResourceServerOptions, outages: OutageLog): RevocationFeed {
  return options.storeUrl
    ? new RedisRevocationFeed(options.storeUrl, options.authzTimeoutMs, outages)
    : new StreamRevocationFeed(options.authzInternalUrls, options.authzTimeoutMs, outages);
}

/**
 * Token verification and revocation for a resource server (mcp, the gateway). Import it once per app with the
 * app's own config; inject ResourceServerAuthenticator where requests are authenticated.
 */
@Module({})
export class ResourceServerModule {
  static forRootAsync(options: ResourceServerModuleOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: RESOURCE_SERVER_OPTIONS,
          useFactory: (...args: never[]) => resolveResourceServerOptions(options.useFactory(...args)),
          inject: options.inject ?? [],
        },
        { provide: RevocationFeed, useFactory: createFeed, inject: [RESOURCE_SERVER_OPTIONS, OutageLog] },
        OutageLog,
        AuthzInstances,
        AccessTokenVerifier,
        VerifiedTokenCache,
        GrantStatusClient,
        GrantStatusService,
        ResourceServerAuthenticator,
      ],
      exports: [ResourceServerAuthenticator, RevocationFeed],
    };
  }
}
