import type { AuthzEnv } from './authz.env';
import { isWeakSecret } from './weak-secret';

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
/** 32 random bytes hold about 30 distinct values; a key with few is typed, repeated or derived from a word. */
const MIN_DISTINCT_BYTES = 16;

/**
 * AUTHZ_KEYS_ENCRYPTION_KEY seals the signing keys every authz instance shares through Redis (keys/
 * redis-signing-key.store.ts): required with STORE_URL, unless AUTHZ_SIGNING_KEY_PEM gives the one key
 * directly. A malformed value is refused everywhere; a guessable one in production (NIST SP 800-38D §8.1: GCM's
 * confidentiality and integrity rest entirely on the key).
 */
export function keysEncryptionKey(env: AuthzEnv): Buffer | undefined {
  const value = env.AUTHZ_KEYS_ENCRYPTION_KEY?.trim() ?? '';
  const needed = env.STORE_URL !== undefined && env.AUTHZ_SIGNING_KEY_PEM === undefined;
  if (value === '') {
    if (!needed) return undefined;
    throw new Error(
      'AUTHZ_KEYS_ENCRYPTION_KEY: required when STORE_URL is set (the signing keys are kept in Redis, encrypted ' +
        'with it): 32 random bytes in base64 (openssl rand -base64 32), the same on every authz instance; or ' +
        'set AUTHZ_SIGNING_KEY_PEM',
    );
  }
  if (!BASE64_32_BYTES.test(value)) {
    throw new Error('AUTHZ_KEYS_ENCRYPTION_KEY: must be 32 bytes in base64 (openssl rand -base64 32)');
  }
  const key = Buffer.from(value, 'base64');
  const guessable = isWeakSecret(value) || new Set(key).size < MIN_DISTINCT_BYTES;
  if (env.NODE_ENV === 'production' && guessable) {
    throw new Error(
      'AUTHZ_KEYS_ENCRYPTION_KEY: looks like a placeholder, not random bytes; use openssl rand -base64 32',
    );
  }
  return key;
}
