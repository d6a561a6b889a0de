import type { AuthzConfig } from '../config/authz.config';
import { activeKey, isPublished, publishedForMs } from './key-file';
import { signingKeyStoreFor } from './signing-key-store.factory';
import type { SigningKeyStore } from './signing-key.store';

export interface KeyView {
  kid: string;
  alg: string;
  /** active: signs new tokens; published: retired, still in the JWKS for tokens it signed. */
  status: 'active' | 'published';
  created_at: string;
  retired_at?: string;
  /** When a retired key leaves the JWKS. */
  published_until?: string;
}

export interface RotationResult {
  active: string;
  previous: string;
  published: number;
}

/** Runs `use` on the store the running authz uses (the key file, or Redis in cluster mode), then closes it. */
async function withStore<T>(config: AuthzConfig, use: (store: SigningKeyStore) => Promise<T>): Promise<T> {
  const store = signingKeyStoreFor(config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The signing keys that are still published (what every authz instance's JWKS holds). */
export function listSigningKeys(config: AuthzConfig, now = Date.now()): Promise<KeyView[]> {
  const lifetime = publishedForMs(config.ttl.accessToken);
  return withStore(config, async (store) => {
    const set = await store.read();
    if (!set) return [];
    const active = activeKey(set).kid;
    return set.keys
      .filter((key) => isPublished(key, now, lifetime))
      .map((key) => ({
        kid: key.kid,
        alg: key.alg,
        status: key.kid === active ? 'active' : 'published',
        created_at: new Date(key.createdAt).toISOString(),
        ...(key.retiredAt === undefined
          ? {}
          : {
              retired_at: new Date(key.retiredAt).toISOString(),
              published_until: new Date(key.retiredAt + lifetime).toISOString(),
            }),
      }));
  });
}

/**
 * Adds a new active signing key and retires the current one, which stays in the JWKS until every access token it
 * signed has expired. Every running authz picks the change up by itself: from the key file within seconds, or at
 * once from Redis (a notice on its pub/sub channel).
 */
export function rotateSigningKeys(config: AuthzConfig): Promise<RotationResult> {
  return withStore(config, async (store) => {
    const { before, after } = await store.rotate(Date.now(), publishedForMs(config.ttl.accessToken));
    return { active: activeKey(after).kid, previous: activeKey(before).kid, published: after.keys.length };
  });
}
