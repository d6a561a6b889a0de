import { createPrivateKey } from 'node:crypto';
import {
  ConfigValidationError,
  defineAppConfig,
  parseTrustedProxies,
  toPublicUrlSettings,
  validateConfig,
  type EnvSource,
  type PublicUrlSettings,
} from '@app/config';
import type { ClientRecord, OAuthStoreOptions } from '@app/oauth-store';
import {
  auditSettingsFrom,
  tracingSettingsFrom,
  type AuditSettings,
  type TracingSettings,
} from '@app/observability';
import { loadProtectedResources } from '@app/protected-resources';
import { ResourceCatalog } from '../common/resource-catalog';
import { AuthzEnv } from './authz.env';
import { cimdSettings, type CimdSettings } from './cimd.config';
import { loadFederationConfig, type FederationConfig } from './federation.config';
import { loadStaticClients } from './static-clients.config';
import { storeOptions } from './store.config';
import { parseUsers, type PasswordHash } from './users.config';
import { keysEncryptionKey } from './keys-encryption.config';
import { isWeakSecret } from './weak-secret';

export interface AuthzConfig {
  env: AuthzEnv;
  port: number;
  host: string;
  publicUrl: PublicUrlSettings;
  production: boolean;
  dataDir: string;
  signingKeyPem?: string;
  /** Cluster mode: seals the signing keys kept in Redis (AUTHZ_KEYS_ENCRYPTION_KEY). */
  keysEncryptionKey?: Buffer;
  /** Lifetimes in seconds. */
  ttl: { accessToken: number; refreshToken: number; code: number; interaction: number };
  devTokens: boolean;
  autoLogin: boolean;
  defaultUser: string;
  users: Map<string, PasswordHash>;
  staticClients: ClientRecord[];
  federation: FederationConfig;
  registrationToken?: string;
  /** AUTHZ_TRUST_PROXY as written; parseTrustedProxies accepted it. */
  trustProxy: string;
  rateLimit: { max: number; windowMs: number };
  maxBodyBytes: number;
  /** Where state lives (store.config.ts). */
  store: OAuthStoreOptions;
  /** RFC 9700 §4.14.2 reuse grace of a rotated refresh token, in milliseconds (0: none). */
  refreshReuseGraceMs: number;
  /** Dynamic registration bounds; the cap itself is `store.maxClients`. */
  dcr: { unusedTtlMs: number };
  /** Undefined: tracing off. */
  tracing?: TracingSettings;
  audit: AuditSettings;
  cimd: CimdSettings;
  /** The protected resources (GATEWAY_RESOURCES_FILE, the gateway's file): accepted resources and their scopes. */
  resources: ResourceCatalog;
}

/** Production refuses development switches and guessable registration tokens (client secrets: see clients). */
function productionProblems(env: AuthzEnv): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (env.AUTHZ_DEV_TOKENS === true)
    problems.push('AUTHZ_DEV_TOKENS: must not be true when NODE_ENV=production');
  if (env.AUTHZ_AUTO_LOGIN === true)
    problems.push('AUTHZ_AUTO_LOGIN: must not be true when NODE_ENV=production');
  // CIMD draft §8.6: the loopback exception MUST NOT apply in production deployments.
  if (env.AUTHZ_CIMD_ALLOW_LOOPBACK)
    problems.push('AUTHZ_CIMD_ALLOW_LOOPBACK: must not be true when NODE_ENV=production');
  const token = env.AUTHZ_REGISTRATION_TOKEN;
  if (token !== undefined && isWeakSecret(token)) {
    problems.push('AUTHZ_REGISTRATION_TOKEN: use a random value of at least 32 characters in production');
  }
  return problems;
}

/** RS256 needs an RSA key; below 2048 bits it is not safe (RFC 7518 §3.3). */
function assertRsaSigningKey(pem: string): void {
  let bits: number | undefined;
  try {
    const key = createPrivateKey(pem);
    bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : 0;
  } catch {
    throw new Error('AUTHZ_SIGNING_KEY_PEM: not a readable PEM private key');
  }
  if (!bits || bits < 2048)
    throw new Error('AUTHZ_SIGNING_KEY_PEM: must be an RSA key of at least 2048 bits');
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadAuthzConfig(source: EnvSource): AuthzConfig {
  const env = validateConfig(AuthzEnv, source);
  const problems = productionProblems(env);
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const publicUrl = attempt(() => toPublicUrlSettings(env.PUBLIC_URL, env.PUBLIC_HOST_ALIASES));
  const resources = attempt(() => new ResourceCatalog(loadProtectedResources(env.GATEWAY_RESOURCES_FILE)));
  const users = attempt(() => parseUsers(env.AUTHZ_USERS));
  const staticClients =
    publicUrl &&
    attempt(() =>
      loadStaticClients(
        env.AUTHZ_CLIENTS,
        publicUrl,
        env.NODE_ENV === 'production',
        resources?.resourceScopes,
      ),
    );
  const federation = attempt(() => loadFederationConfig(env, env.NODE_ENV === 'production'));
  const signingKeyPem = env.AUTHZ_SIGNING_KEY_PEM?.replace(/\\n/g, '\n');
  if (signingKeyPem !== undefined) attempt(() => assertRsaSigningKey(signingKeyPem));
  const sealingKey = attempt(() => keysEncryptionKey(env));
  // A typo such as `false` is a config error naming the variable, not a crash while the app is built.
  attempt(() => parseTrustedProxies('AUTHZ_TRUST_PROXY', env.AUTHZ_TRUST_PROXY));
  const store = attempt(() => storeOptions(env));
  const audit = attempt(() => auditSettingsFrom('authz', env));
  const cimd = attempt(() => cimdSettings(env));
  const loaded = publicUrl && users && staticClients && federation && store && audit && cimd && resources;
  if (problems.length > 0 || !loaded) throw new ConfigValidationError(problems);
  const production = env.NODE_ENV === 'production';
  return {
    env,
    port: env.AUTHZ_PORT,
    host: env.AUTHZ_HOST,
    publicUrl,
    production,
    dataDir: env.AUTHZ_DATA_DIR,
    signingKeyPem,
    keysEncryptionKey: sealingKey,
    ttl: {
      accessToken: env.AUTHZ_ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: env.AUTHZ_REFRESH_TOKEN_TTL_SECONDS,
      code: env.AUTHZ_CODE_TTL_SECONDS,
      interaction: env.AUTHZ_INTERACTION_TTL_SECONDS,
    },
    devTokens: env.AUTHZ_DEV_TOKENS ?? !production,
    // With identity providers configured, people sign in through them unless auto-login is asked for.
    autoLogin: env.AUTHZ_AUTO_LOGIN ?? (!production && federation.providers.length === 0),
    defaultUser: env.AUTHZ_DEFAULT_USER,
    users,
    staticClients,
    federation,
    registrationToken: env.AUTHZ_REGISTRATION_TOKEN,
    trustProxy: env.AUTHZ_TRUST_PROXY,
    rateLimit: { max: env.AUTHZ_RATE_LIMIT_MAX, windowMs: env.AUTHZ_RATE_LIMIT_WINDOW_MS },
    maxBodyBytes: env.AUTHZ_MAX_BODY_BYTES,
    store,
    refreshReuseGraceMs: env.AUTHZ_REFRESH_REUSE_GRACE_SECONDS * 1000,
    dcr: { unusedTtlMs: env.AUTHZ_DCR_UNUSED_TTL * 1000 },
    tracing: tracingSettingsFrom('authz', env),
    audit,
    cimd,
    resources,
  };
}

/** The authz app's config namespace: `@Inject(authzConfig.KEY) config: ConfigType<typeof authzConfig>`. */
export const authzConfig = defineAppConfig('authz', loadAuthzConfig);
