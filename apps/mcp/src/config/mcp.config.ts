import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  checkStoreUrl,
  ConfigValidationError,
  parseUrlList,
  defineAppConfig,
  splitList,
  toPublicUrlSettings,
  validateConfig,
  type EnvSource,
  type PublicUrlSettings,
} from '@app/config';
import {
  auditSettingsFrom,
  tracingSettingsFrom,
  type AuditSettings,
  type TracingSettings,
} from '@app/observability';
import { McpEnv } from './mcp.env';

export interface McpConfig {
  env: McpEnv;
  port: number;
  host: string;
  publicUrl: PublicUrlSettings;
  /** Every authz instance mcp may ask (AUTHZ_INTERNAL_URL, comma separated), without trailing slashes. */
  authzInternalUrls: string[];
  /** Cluster mode (revocations by Redis pub/sub); checked, never echoed (it may carry a password). */
  storeUrl?: string;
  stateless: boolean;
  allowedOrigins: string[];
  /** Lower-cased host names (no port) accepted in Host / X-Forwarded-Host on /mcp. */
  allowedHosts: string[];
  fsRoot: string;
  /** Undefined: tracing off. */
  tracing?: TracingSettings;
  audit: AuditSettings;
  production: boolean;
  /** The tools, resources and prompts the conformance suite calls by name (never in production). */
  conformanceFixtures: boolean;
  /** HMAC key of multi-round-trip `requestState`: MCP_REQUEST_STATE_KEY, or random per process. */
  requestStateKey: Uint8Array;
}

const SHIPPED_WORKSPACE = join('apps', 'mcp', 'workspace');

function findUpwards(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, SHIPPED_WORKSPACE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The shipped sample folder, found by walking up from the working directory (tests, `npm start` from the repo)
 * and then from the entry script (`node dist/apps/mcp/...` started elsewhere), so no build step has to copy it.
 */
export function defaultWorkspaceRoot(from: string = process.cwd()): string {
  const entry = process.argv[1] ? dirname(process.argv[1]) : undefined;
  return findUpwards(from) ?? (entry && findUpwards(entry)) ?? resolve(SHIPPED_WORKSPACE);
}

function hostnameOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadMcpConfig(source: EnvSource): McpConfig {
  const env = validateConfig(McpEnv, source);
  const production = env.NODE_ENV === 'production';
  if (production && env.MCP_CONFORMANCE_FIXTURES) {
    throw new ConfigValidationError(['MCP_CONFORMANCE_FIXTURES: must not be true when NODE_ENV=production']);
  }
  if (env.STORE_URL !== undefined) {
    try {
      checkStoreUrl(env.STORE_URL);
    } catch (error) {
      throw new ConfigValidationError([(error as Error).message]);
    }
  }
  let audit: AuditSettings;
  let authzInternalUrls: string[];
  try {
    authzInternalUrls = parseUrlList('AUTHZ_INTERNAL_URL', env.AUTHZ_INTERNAL_URL);
    audit = auditSettingsFrom('mcp', env, {
      recentSize: env.MCP_AUDIT_SIZE,
      includeArguments: env.AUDIT_INCLUDE_ARGUMENTS,
    });
  } catch (error) {
    throw new ConfigValidationError([(error as Error).message]);
  }
  const publicUrl = toPublicUrlSettings(env.PUBLIC_URL, env.PUBLIC_HOST_ALIASES);
  const allowedOrigins = splitList(env.MCP_ALLOWED_ORIGINS).map((origin) => {
    try {
      return new URL(origin).origin;
    } catch {
      throw new Error(`MCP_ALLOWED_ORIGINS: ${JSON.stringify(origin)} is not an origin`);
    }
  });
  const allowedHosts = [
    ...new Set([
      hostnameOf(publicUrl.publicUrl),
      ...publicUrl.aliases,
      ...splitList(env.MCP_ALLOWED_HOSTS).map((host) => host.toLowerCase()),
    ]),
  ];
  return {
    env,
    port: env.MCP_PORT,
    host: env.MCP_HOST,
    publicUrl,
    authzInternalUrls,
    storeUrl: env.STORE_URL,
    stateless: env.MCP_STATELESS,
    allowedOrigins,
    allowedHosts,
    fsRoot: env.MCP_FS_ROOT ? resolve(env.MCP_FS_ROOT) : defaultWorkspaceRoot(),
    tracing: tracingSettingsFrom('mcp', env),
    audit,
    production,
    conformanceFixtures: env.MCP_CONFORMANCE_FIXTURES,
    requestStateKey: env.MCP_REQUEST_STATE_KEY
      ? new TextEncoder().encode(env.MCP_REQUEST_STATE_KEY)
      : new Uint8Array(randomBytes(32)),
  };
}

/** The mcp app's config namespace: `@Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>`. */
export const mcpConfig = defineAppConfig('mcp', loadMcpConfig);
