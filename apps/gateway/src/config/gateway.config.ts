import {
  ConfigValidationError,
  defineAppConfig,
  parseTrustedProxies,
  splitList,
  validateConfig,
  type EnvSource,
} from '@app/config';
import { tracingSettingsFrom, type TracingSettings } from '@app/observability';
import { LOOPBACK_HOST } from '@app/runtime';
import { GatewayEnv } from './gateway.env';

export interface GatewayConfig {
  env: GatewayEnv;
  port: number;
  host?: string;
  upstreams: { authz: string; mcp: string };
  /** Exact origins (scheme://host[:port]) allowed on the credentialed-resource routes (/mcp, PRM). */
  corsOrigins: string[];
  /** Trusted outer proxies: loopback, linklocal, uniquelocal, addresses and CIDR ranges (parseTrustedProxies). */
  trustedProxies: string[];
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  upstreamIdleMs: number;
  readinessTimeoutMs: number;
  /** The admin listener (GET /metrics). */
  admin: { port: number; host: string };
  /** Undefined: tracing off. */
  tracing?: TracingSettings;
}

function checkOrigins(origins: string[]): string[] {
  return origins
    .filter((origin) => {
      try {
        const url = new URL(origin);
        return !['http:', 'https:'].includes(url.protocol) || url.origin !== origin;
      } catch {
        return true;
      }
    })
    .map(
      (origin) => `GATEWAY_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like http://host:port`,
    );
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadGatewayConfig(source: EnvSource): GatewayConfig {
  const env = validateConfig(GatewayEnv, source);
  const corsOrigins = splitList(env.GATEWAY_CORS_ORIGINS);
  const problems = checkOrigins(corsOrigins);
  let trustedProxies: string[] = [];
  try {
    trustedProxies = parseTrustedProxies('GATEWAY_TRUSTED_PROXIES', env.GATEWAY_TRUSTED_PROXIES);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    env,
    port: env.GATEWAY_PORT,
    // A development stack hands out tokens and sign-ins without passwords, so it listens
    // on this machine only unless GATEWAY_HOST says otherwise; production listens on every address.
    host: env.GATEWAY_HOST ?? (env.NODE_ENV === 'production' ? undefined : LOOPBACK_HOST),
    upstreams: { authz: env.AUTHZ_UPSTREAM_URL, mcp: env.MCP_UPSTREAM_URL },
    corsOrigins,
    trustedProxies,
    upstreamTimeoutMs: env.GATEWAY_UPSTREAM_TIMEOUT_MS,
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
    upstreamIdleMs: env.GATEWAY_UPSTREAM_IDLE_MS,
    readinessTimeoutMs: env.GATEWAY_READINESS_TIMEOUT_MS,
    admin: { port: env.GATEWAY_ADMIN_PORT, host: env.GATEWAY_ADMIN_HOST },
    tracing: tracingSettingsFrom('gateway', env),
  };
}

/** The gateway's config namespace: `@Inject(gatewayConfig.KEY) config: ConfigType<typeof gatewayConfig>`. */
export const gatewayConfig = defineAppConfig('gateway', loadGatewayConfig);
