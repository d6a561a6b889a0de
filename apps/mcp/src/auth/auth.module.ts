import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ResourceServerModule, type ResourceServerOptions } from '@app/resource-server';
import { mcpConfig } from '../config/mcp.config';
import { ProvidersModule } from '../providers/providers.module';
import { RegistryModule } from '../registry/registry.module';
import { BearerAuthenticator } from './bearer.authenticator';
import { McpScopeCheck } from './mcp-scope.check';

function resourceServerOptions(config: ConfigType<typeof mcpConfig>): ResourceServerOptions {
  const { env } = config;
  return {
    authzInternalUrls: config.authzInternalUrls,
    storeUrl: config.storeUrl,
    clockToleranceSeconds: env.MCP_CLOCK_TOLERANCE_SECONDS,
    jwksCooldownMs: env.MCP_JWKS_COOLDOWN_MS,
    jwksCacheMaxAgeMs: env.MCP_JWKS_CACHE_MAX_AGE_MS,
    authzTimeoutMs: env.MCP_AUTHZ_TIMEOUT_MS,
    tokenCacheSize: env.MCP_TOKEN_CACHE_SIZE,
    grantCacheSize: env.MCP_GRANT_CACHE_SIZE,
    fallbackMaxAgeMs: env.MCP_REVOCATION_FALLBACK_MS,
  };
}

@Module({
  imports: [
    RegistryModule,
    ProvidersModule,
    ResourceServerModule.forRootAsync({ inject: [mcpConfig.KEY], useFactory: resourceServerOptions }),
  ],
  providers: [BearerAuthenticator, McpScopeCheck],
  exports: [BearerAuthenticator, McpScopeCheck],
})
export class AuthModule {}
