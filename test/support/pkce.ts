import { createHash, randomBytes } from 'node:crypto';

/** A client-side PKCE pair (RFC 7636 §4.1-4.2, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export const randomState = (): string => randomBytes(16).toString('base64url');
