import type { AuthzConfig } from '../config/authz.config';
import {
  activeKey,
  isPublished,
  loadOrCreateKeyFile,
  readKeyFile,
  rotateKeyFile,
  writeKeyFile,
} from './key-file';

/** A retired key stays published this long past the access-token lifetime (clock skew). */
const PUBLISH_MARGIN_SECONDS = 300;

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

const lifetimeMs = (config: AuthzConfig) => (config.ttl.accessToken + PUBLISH_MARGIN_SECONDS) * 1000;

function refuseConfiguredKey(config: AuthzConfig): void {
  if (config.signingKeyPem) {
    throw new Error('AUTHZ_SIGNING_KEY_PEM is set: rotate by replacing that key, not the key file');
  }
}

/** The keys in AUTHZ_DATA_DIR's key file that are still published (what authz's JWKS holds). */
export async function listSigningKeys(config: AuthzConfig, now = Date.now()): Promise<KeyView[]> {
  refuseConfiguredKey(config);
  const file = await readKeyFile(config.dataDir);
  if (!file) return [];
  const active = activeKey(file).kid;
  return file.keys
    .filter((key) => isPublished(key, now, lifetimeMs(config)))
    .map((key) => ({
      kid: key.kid,
      alg: key.alg,
      status: key.kid === active ? 'active' : 'published',
      created_at: new Date(key.createdAt).toISOString(),
      ...(key.retiredAt === undefined
        ? {}
        : {
            retired_at: new Date(key.retiredAt).toISOString(),
            published_until: new Date(key.retiredAt + lifetimeMs(config)).toISOString(),
          }),
    }));
}

/**
 * Adds a new active signing key and retires the current one, which stays in the JWKS until every access token it
 * signed has expired. A running authz picks the change up by itself (SigningKeysService watches the file).
 */
export async function rotateSigningKeys(config: AuthzConfig): Promise<RotationResult> {
  refuseConfiguredKey(config);
  const before = await loadOrCreateKeyFile(config.dataDir);
  const after = await rotateKeyFile(before, Date.now(), lifetimeMs(config));
  await writeKeyFile(config.dataDir, after);
  return { active: activeKey(after).kid, previous: activeKey(before).kid, published: after.keys.length };
}
