/** How the store is bound; the app builds it from its validated config (one setting picks the backend). */
export type OAuthStoreOptions = StoreLimits &
  (
    | { backend: 'memory' }
    /** One file, created (with its folder) and migrated at boot. */
    | { backend: 'sqlite'; file: string }
    /** `redis://` or `rediss://`; every key is prefixed so one Redis can serve several stacks. */
    | { backend: 'redis'; url: string; keyPrefix?: string }
  );

export interface StoreLimits {
  /** Cap on live dynamically registered clients (every backend). */
  maxClients: number;
  /** Memory backend only: hard bounds on grants and consents (least recently used evicted). */
  memory?: { maxGrants?: number; maxConsents?: number };
}

export const MEMORY_DEFAULT_LIMITS = { maxGrants: 50_000, maxConsents: 50_000 } as const;

export const DEFAULT_REDIS_KEY_PREFIX = 'authz:';

/** DI token of the OAuthStoreOptions value. */
export const OAUTH_STORE_OPTIONS = Symbol('OAUTH_STORE_OPTIONS');
