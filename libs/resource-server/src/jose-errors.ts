import { errors } from 'jose';

/** Describes a jose failure in words a client can act on, without echoing the token or its claims. */
export function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reason = error.reason === 'check_failed' ? 'does not match this resource' : error.reason;
    return `the access token's ${error.claim} claim is not acceptable (${reason})`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the access token is not signed with RS256';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the access token was signed by an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the access token signature is invalid';
  return 'the access token is malformed or cannot be verified';
}

/**
 * A JWKS that cannot be had (network error, timeout, non-200, not a key set) says nothing about the token:
 * the caller fails closed with 503 rather than telling the client to throw its token away.
 */
export function isKeySetUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  // jose reports a non-200 JWKS answer with the base class itself (code ERR_JOSE_GENERIC).
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code
  );
}
