import type { JWTPayload } from 'jose';
import { parseScope } from '@app/scopes';
import { isGrantId } from './revocation-event';
import { unauthorized, type TokenRefusal } from './token-refusal';

/**
 * A JWT access token (RFC 9068) whose signature and claims were verified, remembered for as long as it is valid
 * and shared by every request that presents it: never mutate it.
 */
export interface VerifiedAccessToken {
  readonly kind: 'valid';
  readonly subject: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly jti: string;
  /** The grant the token was issued from: its revocation revokes the token. */
  readonly grantId: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly claims: Readonly<JWTPayload>;
}

/**
 * The claims every access token must carry: RFC 9068 §2.2 (iss, exp, aud, sub, client_id, iat, jti) plus
 * authz's grant_id, so revocation can reach the token.
 */
export const REQUIRED_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'sub', 'jti', 'client_id', 'grant_id'];

const badClaim = (claim: string) =>
  unauthorized('invalid_token', `the access token's ${claim} claim is malformed`);

/** Checks the claim types jose leaves to the caller; jose has checked presence, iss, aud and the times. */
export function toVerifiedAccessToken(payload: JWTPayload): VerifiedAccessToken | TokenRefusal {
  const { sub, jti, iss, aud, iat, exp } = payload;
  const clientId = payload.client_id;
  const grantId = payload.grant_id;
  const scope = payload.scope ?? '';
  if (typeof sub !== 'string' || sub.length === 0) return badClaim('sub');
  if (typeof clientId !== 'string' || clientId.length === 0) return badClaim('client_id');
  if (typeof jti !== 'string' || jti.length === 0) return badClaim('jti');
  if (!isGrantId(grantId)) return badClaim('grant_id');
  // RFC 9068 §2.2.3: scope is a space-delimited string (RFC 8693 §4.2).
  if (typeof scope !== 'string') return badClaim('scope');
  return Object.freeze({
    kind: 'valid',
    subject: sub,
    clientId,
    scopes: Object.freeze(parseScope(scope)),
    jti,
    grantId,
    issuer: iss as string,
    audience: Object.freeze(typeof aud === 'string' ? [aud] : [...(aud as string[])]),
    issuedAt: iat as number,
    expiresAt: exp as number,
    claims: Object.freeze(payload),
  });
}
