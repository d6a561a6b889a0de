import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { parseScope } from '@app/scopes';
import { mcpConfig } from '../config/mcp.config';
import { AuthUnavailableException, BearerChallengeException } from './auth.exceptions';

export interface VerifiedAccessToken {
  sub: string;
  clientId: string;
  scopes: string[];
  jti: string;
  expiresAt: number;
}

/** Describes a jose failure in words a client can act on, without echoing the token. */
function describeJoseError(error: errors.JOSEError): string {
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

function isKeySetUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  // jose reports a non-200 JWKS answer with the base class itself (code ERR_JOSE_GENERIC).
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code
  );
}

/**
 * Verifies RS256 JWT access tokens (RFC 9068) against authz's JWKS. The key set is fetched once and cached;
 * jose refetches it when a token names an unknown `kid` (no more than once per cooldown), which is how keys
 * rotated by authz are picked up without a restart.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {
    this.jwks = createRemoteJWKSet(new URL(`${config.authzInternalUrl}/.well-known/jwks.json`), {
      cooldownDuration: config.env.MCP_JWKS_COOLDOWN_MS,
      cacheMaxAge: config.env.MCP_JWKS_CACHE_MAX_AGE_MS,
      timeoutDuration: config.env.MCP_AUTHZ_TIMEOUT_MS,
    });
  }

  /** `base` is the public base URL of the alias the request used: the only acceptable issuer. */
  async verify(token: string, base: string): Promise<VerifiedAccessToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        // RFC 9068 §4: typ at+jwt, iss, aud (RFC 8707 resource), exp; RFC 8725 §3.1: an algorithm allow-list.
        algorithms: ['RS256'],
        typ: 'at+jwt',
        issuer: base,
        audience: `${base}/mcp`,
        clockTolerance: this.config.env.MCP_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'],
      }));
    } catch (error) {
      // A JWKS that cannot be fetched (timeout, network error, non-200, not a key set) says nothing about the
      // token: fail closed, but don't tell the client to throw its token away.
      if (isKeySetUnavailable(error)) {
        throw new AuthUnavailableException(
          'The authorization server could not be reached to verify the token',
        );
      }
      throw new BearerChallengeException('invalid_token', describeJoseError(error as errors.JOSEError));
    }
    const { sub, jti, exp } = payload;
    const clientId = payload.client_id;
    const scope = payload.scope ?? '';
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof clientId !== 'string') {
      throw new BearerChallengeException('invalid_token', 'the access token lacks sub, jti or client_id');
    }
    if (typeof scope !== 'string') {
      throw new BearerChallengeException('invalid_token', 'the access token scope claim must be a string');
    }
    return { sub, clientId, jti, scopes: parseScope(scope), expiresAt: exp as number };
  }
}
