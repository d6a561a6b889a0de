/** How a resource server reaches authz and how much it may remember; the app builds it from its own config. */
export interface ResourceServerOptions {
  /**
   * authz's private base URLs, one per instance (AUTHZ_INTERNAL_URL's list, the gateway's authz pool): the JWKS,
   * grant status and the revocation stream, each asked of the instance that answered last and, when it cannot
   * answer, of the next (authz-instances.ts).
   */
  authzInternalUrls: readonly string[];
  /** Cluster mode: `redis://` or `rediss://`. Revocations then come by Redis pub/sub instead of the stream. */
  storeUrl?: string;
  /** Allowed clock skew on exp, nbf and iat (RFC 9068 §4 leaves the margin to the resource server). */
  clockToleranceSeconds: number;
  /** An unknown `kid` refetches the JWKS at most this often. */
  jwksCooldownMs: number;
  /** A fetched JWKS is refetched on use after this long. */
  jwksCacheMaxAgeMs: number;
  /** Each call to authz (JWKS, grant status, stream connect) gives up after this long: 503, fail closed. */
  authzTimeoutMs: number;
  /** Verified tokens remembered (until each one's exp), so a repeated token costs no RSA verification. */
  tokenCacheSize?: number;
  /** Grant states remembered. */
  grantCacheSize?: number;
  /** While the push channel is down, an active grant is re-asked once its answer is older than this. */
  fallbackMaxAgeMs?: number;
  /** While the push channel is up, an active grant is re-confirmed in the background after this long. */
  recheckActiveMs?: number;
  /** authz outages are logged once per cause and interval. */
  warnIntervalMs?: number;
  /** Tokens older than this (by iat) are refused; authz never issues longer-lived ones. */
  maxTokenAgeSeconds?: number;
}

export type ResolvedResourceServerOptions = Required<Omit<ResourceServerOptions, 'storeUrl'>> &
  Pick<ResourceServerOptions, 'storeUrl'>;

export const RESOURCE_SERVER_DEFAULTS = {
  tokenCacheSize: 10_000,
  grantCacheSize: 100_000,
  fallbackMaxAgeMs: 1_000,
  recheckActiveMs: 60_000,
  warnIntervalMs: 10_000,
  // AUTHZ_ACCESS_TOKEN_TTL_SECONDS is at most a day.
  maxTokenAgeSeconds: 86_400,
} as const;

/** What a client is told to wait when authz could not be asked (503). */
export const RETRY_AFTER_SECONDS = 5;

/** DI token of the resolved options. */
export const RESOURCE_SERVER_OPTIONS = Symbol('RESOURCE_SERVER_OPTIONS');

export function resolveResourceServerOptions(options: ResourceServerOptions): ResolvedResourceServerOptions {
  if (options.authzInternalUrls.length === 0) throw new Error('the resource server needs an authz URL');
  return {
    ...RESOURCE_SERVER_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    authzInternalUrls: options.authzInternalUrls.map((url) => url.replace(/\/+$/, '')),
  } as unknown as ResolvedResourceServerOptions;
}
