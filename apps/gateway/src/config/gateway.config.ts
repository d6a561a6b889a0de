import { createPrivateKey } from 'node:crypto';
import {
  checkStoreUrl,
  ConfigValidationError,
  defineAppConfig,
  parseTrustedProxies,
  splitList,
  toPublicUrlSettings,
  validateConfig,
  type EnvSource,
  type PublicUrlSettings,
} from '@app/config';
import { tracingSettingsFrom, type TracingSettings } from '@app/observability';
import { loadProtectedResources, upstreamUrlProblem, type ProtectedResource } from '@app/protected-resources';
import { LOOPBACK_HOST } from '@app/runtime';
import { routeConflict } from '../routing/route-table';
import { GatewayEnv } from './gateway.env';

export interface GatewayConfig {
  env: GatewayEnv;
  port: number;
  host?: string;
  publicUrl: PublicUrlSettings;
  /** Each upstream's instances (a pool when there are several). */
  upstreams: { authz: string[]; mcp: string[] };
  /** The protected MCP resources: GATEWAY_RESOURCES_FILE's entries, or the bundled /mcp alone. */
  resources: readonly ProtectedResource[];
  /** The gateway checks tokens itself (a resources file is given); otherwise only apps/mcp does, on /mcp. */
  enforcing: boolean;
  /** Exact origins (scheme://host[:port]) allowed on the credentialed-resource routes (/mcp, PRM). */
  corsOrigins: string[];
  /** Trusted outer proxies: loopback, linklocal, uniquelocal, addresses and CIDR ranges (parseTrustedProxies). */
  trustedProxies: string[];
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  upstreamIdleMs: number;
  upstreamCooldownMs: number;
  readinessTimeoutMs: number;
  sessions: { max: number; idleMs: number };
  /** Signing of X-MCP-Identity: the configured key (PEM) or none (one is made at boot), and the lifetime. */
  identity: { keyPem?: string; ttlSeconds: number };
  storeUrl?: string;
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

/** A comma-separated list of upstream URLs (one is a pool of one). */
function upstreamList(name: string, value: string, problems: string[]): string[] {
  const urls = splitList(value);
  if (urls.length === 0) problems.push(`${name}: at least one URL is required`);
  for (const url of urls) {
    const problem = upstreamUrlProblem(url);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  return urls;
}

/** ES256 needs an EC key on P-256 (RFC 7518 §3.4). */
function identityKeyProblem(pem: string): string | undefined {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
      return undefined;
  } catch {
    return 'GATEWAY_IDENTITY_KEY_PEM: not a readable PEM private key';
  }
  return 'GATEWAY_IDENTITY_KEY_PEM: must be an EC P-256 key (ES256)';
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadGatewayConfig(source: EnvSource): GatewayConfig {
  const env = validateConfig(GatewayEnv, source);
  const corsOrigins = splitList(env.GATEWAY_CORS_ORIGINS);
  const problems = checkOrigins(corsOrigins);
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const trustedProxies =
    attempt(() => parseTrustedProxies('GATEWAY_TRUSTED_PROXIES', env.GATEWAY_TRUSTED_PROXIES)) ?? [];
  const publicUrl = attempt(() => toPublicUrlSettings(env.PUBLIC_URL, env.PUBLIC_HOST_ALIASES));
  const authz = upstreamList('AUTHZ_UPSTREAM_URL', env.AUTHZ_UPSTREAM_URL, problems);
  const mcp = upstreamList('MCP_UPSTREAM_URL', env.MCP_UPSTREAM_URL, problems);
  const resources = attempt(() => loadProtectedResources(env.GATEWAY_RESOURCES_FILE)) ?? [];
  for (const resource of resources) {
    const conflict = routeConflict(resource.path);
    if (conflict) problems.push(`GATEWAY_RESOURCES_FILE: ${resource.path}: path: ${conflict}`);
  }
  if (env.STORE_URL !== undefined) attempt(() => checkStoreUrl(env.STORE_URL!));
  const keyPem = env.GATEWAY_IDENTITY_KEY_PEM?.replace(/\\n/g, '\n');
  const keyProblem = keyPem === undefined ? undefined : identityKeyProblem(keyPem);
  if (keyProblem) problems.push(keyProblem);
  if (problems.length > 0 || !publicUrl) throw new ConfigValidationError(problems);
  return {
    env,
    port: env.GATEWAY_PORT,
    // A development stack hands out tokens and sign-ins without passwords, so it listens
    // on this machine only unless GATEWAY_HOST says otherwise; production listens on every address.
    host: env.GATEWAY_HOST ?? (env.NODE_ENV === 'production' ? undefined : LOOPBACK_HOST),
    publicUrl,
    upstreams: { authz, mcp },
    resources,
    enforcing: env.GATEWAY_RESOURCES_FILE !== undefined,
    corsOrigins,
    trustedProxies,
    upstreamTimeoutMs: env.GATEWAY_UPSTREAM_TIMEOUT_MS,
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
    upstreamIdleMs: env.GATEWAY_UPSTREAM_IDLE_MS,
    upstreamCooldownMs: env.GATEWAY_UPSTREAM_COOLDOWN_MS,
    readinessTimeoutMs: env.GATEWAY_READINESS_TIMEOUT_MS,
    sessions: { max: env.GATEWAY_MAX_SESSIONS, idleMs: env.GATEWAY_SESSION_IDLE_MS },
    identity: { keyPem, ttlSeconds: env.GATEWAY_IDENTITY_TTL_SECONDS },
    storeUrl: env.STORE_URL,
    admin: { port: env.GATEWAY_ADMIN_PORT, host: env.GATEWAY_ADMIN_HOST },
    tracing: tracingSettingsFrom('gateway', env),
  };
}

/** The gateway's config namespace: `@Inject(gatewayConfig.KEY) config: ConfigType<typeof gatewayConfig>`. */
export const gatewayConfig = defineAppConfig('gateway', loadGatewayConfig);
