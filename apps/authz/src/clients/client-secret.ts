import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are stored as SHA-256 (hex), never in clear (RFC 6749 §10.1, RFC 7591 §3.2.1: issued secrets
 * are shown once). A fast hash is enough for the 256-bit random secrets this server issues; configured secrets
 * must be as long in production (see weak-secret.ts).
 */
export const hashClientSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time: both sides are fixed-length hashes, so timing reveals nothing about the presented secret. */
export function clientSecretMatches(presented: string, storedHash: string | undefined): boolean {
  const expected = Buffer.from(storedHash ?? '', 'utf8');
  const actual = Buffer.from(hashClientSecret(presented), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
