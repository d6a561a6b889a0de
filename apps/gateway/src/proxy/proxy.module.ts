import { DynamicModule, Module } from '@nestjs/common';
import { ResourceServerModule, type ResourceServerOptions } from '@app/resource-server';
import { gatewayConfig, type GatewayConfig } from '../config/gateway.config';
import { IdentityAssertions } from '../enforcement/identity-assertion.service';
import { IdentityJwksController } from '../enforcement/identity-jwks.controller';
import { ResourceGuard } from '../enforcement/resource-guard.service';
import { GatewayFrontDoor } from './gateway.front-door';
import { McpRoutes } from './mcp-routes.service';
import { SessionAffinity } from './session-affinity';
import { UpstreamProxyService } from './upstream-proxy.service';

/**
 * authz as the gateway reaches it privately: every instance of its pool, the first that answers (JWKS, grant
 * status, the revocation stream; with STORE_URL revocations come by Redis pub/sub instead).
 */
function resourceServerOptions(config: GatewayConfig): ResourceServerOptions {
  const { env } = config;
  return {
    authzInternalUrls: config.upstreams.authz,
    storeUrl: config.storeUrl,
    clockToleranceSeconds: env.GATEWAY_CLOCK_TOLERANCE_SECONDS,
    jwksCooldownMs: env.GATEWAY_JWKS_COOLDOWN_MS,
    jwksCacheMaxAgeMs: env.GATEWAY_JWKS_CACHE_MAX_AGE_MS,
    authzTimeoutMs: env.GATEWAY_AUTHZ_TIMEOUT_MS,
    tokenCacheSize: env.GATEWAY_TOKEN_CACHE_SIZE,
    grantCacheSize: env.GATEWAY_GRANT_CACHE_SIZE,
    fallbackMaxAgeMs: env.GATEWAY_REVOCATION_FALLBACK_MS,
  };
}

/**
 * The proxy: pools, the front door and the MCP routes. With a resources file the gateway checks tokens itself
 * (ResourceGuard over @app/resource-server) and, when an upstream takes identity as headers, signs X-MCP-Identity
 * and publishes its key; without one none of that is built, and no connection to authz is opened.
 */
@Module({})
export class ProxyModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const signs = config.enforcing && config.resources.some((resource) => resource.forward === 'headers');
    return {
      module: ProxyModule,
      imports: config.enforcing
        ? [
            ResourceServerModule.forRootAsync({
              inject: [gatewayConfig.KEY],
              useFactory: resourceServerOptions,
            }),
          ]
        : [],
      controllers: signs ? [IdentityJwksController] : [],
      providers: [
        UpstreamProxyService,
        GatewayFrontDoor,
        McpRoutes,
        {
          provide: SessionAffinity,
          useFactory: () => new SessionAffinity(config.sessions.max, config.sessions.idleMs),
        },
        ...(config.enforcing ? [ResourceGuard] : []),
        ...(signs ? [IdentityAssertions] : []),
      ],
      exports: [UpstreamProxyService, GatewayFrontDoor],
    };
  }
}
