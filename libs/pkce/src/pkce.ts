import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Only S256: OAuth 2.1 §4.1.1 and the MCP authorization spec forbid `plain`. */
export const SUPPORTED_CODE_CHALLENGE_METHODS = ['S256'] as const;
export type CodeChallengeMethod = (typeof SUPPORTED_CODE_CHALLENGE_METHODS)[number];

/** RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** RFC 7636 §4.2: an S256 challenge is BASE64URL(SHA256(verifier)) without padding, always 43 characters. */
const S256_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isCodeChallengeMethodSupported(method: unknown): method is CodeChallengeMethod {
  return (
    typeof method === 'string' && (SUPPORTED_CODE_CHALLENGE_METHODS as readonly string[]).includes(method)
  );
}

export function isValidCodeVerifier(verifier: unknown): verifier is string {
  return typeof verifier === 'string' && VERIFIER_PATTERN.test(verifier);
}

export function isValidCodeChallenge(challenge: unknown): challenge is string {
  return typeof challenge === 'string' && S256_CHALLENGE_PATTERN.test(challenge);
}

/** BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
export function computeS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A fresh verifier of 43 characters (32 random bytes, base64url), as RFC 7636 §4.1 recommends. */
export function generateCodeVerifier(byteLength = 32): string {
  if (byteLength < 32 || byteLength > 96) throw new RangeError('byteLength must be between 32 and 96');
  return randomBytes(byteLength).toString('base64url');
}

/**
 * RFC 7636 §4.6: true only when the verifier is well formed and hashes to the stored challenge. The comparison
 * is constant-time so response timing reveals nothing about how much of a guess was right.
 */
export function verifyCodeVerifier(verifier: unknown, challenge: string, method: string = 'S256'): boolean {
  if (!isCodeChallengeMethodSupported(method)) return false;
  if (!isValidCodeVerifier(verifier) || !isValidCodeChallenge(challenge)) return false;
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(computeS256Challenge(verifier), 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
