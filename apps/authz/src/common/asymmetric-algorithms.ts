/**
 * The JWS algorithms accepted on a JWT another party signs (client assertions, upstream ID tokens): asymmetric
 * only, since a symmetric one (HS*) would need a shared secret and `none` proves nothing (RFC 8725 §3.1, §3.2).
 */
export const ASYMMETRIC_JWS_ALGORITHMS: string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
