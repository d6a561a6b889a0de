import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import { formatScope } from '@app/scopes';
import { authzConfig } from '../config/authz.config';
import { SigningKeysService } from './signing-keys.service';

export interface AccessTokenRequest {
  issuer: string;
  subject: string;
  clientId: string;
  scopes: string[];
  /** The audience: the protected resource the token is bound to (RFC 8707). */
  resource: string;
  /** The grant the token belongs to: resource servers refuse the token once the grant is revoked or unknown. */
  grantId: string;
  /** Identity claims of a federated sign-in (idp, email, name, groups); never overrides the ones below. */
  claims?: Record<string, unknown>;
}

export interface IssuedToken {
  accessToken: string;
  jti: string;
  expiresIn: number;
  expiresAt: number;
  kid: string;
  alg: string;
}

export interface AccessTokenClaims extends JWTPayload {
  client_id?: string;
  scope?: string;
  grant_id?: string;
}

/** RS256 JWT access tokens in the RFC 9068 profile, signed through @nestjs/jwt. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeysService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async issue(request: AccessTokenRequest): Promise<IssuedToken> {
    // Per token, the key that is active now: after a rotation new tokens get the new key (and its kid) while
    // tokens signed with the old one still verify against the published JWKS.
    const key = this.keys.signingKey;
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = this.config.ttl.accessToken;
    const jti = randomUUID();
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti, and scope; grant_id is this server's own.
    const claims: AccessTokenClaims = {
      ...request.claims,
      iss: request.issuer,
      sub: request.subject,
      aud: request.resource,
      iat: now,
      exp: now + expiresIn,
      jti,
      client_id: request.clientId,
      scope: formatScope(request.scopes),
      grant_id: request.grantId,
    };
    const accessToken = this.jwt.sign(claims, {
      privateKey: key.privateKey,
      algorithm: key.alg,
      // RFC 9068 §2.1: typ "at+jwt", so an access token cannot pass for another kind of JWT.
      header: { alg: key.alg, typ: 'at+jwt', kid: key.kid },
    });
    return { accessToken, jti, expiresIn, expiresAt: (now + expiresIn) * 1000, kid: key.kid, alg: key.alg };
  }

  /**
   * Our own token, signature and expiry checked against the published keys; issuer and audience are not, as
   * any alias may have issued it. Undefined for anything else: revocation and introspection must not reveal
   * why a token was refused.
   */
  async verify(token: string): Promise<AccessTokenClaims | undefined> {
    if (token.length > 8192 || token.split('.').length !== 3) return undefined;
    try {
      const { payload } = await jwtVerify<AccessTokenClaims>(token, this.keys.verificationKeys, {
        algorithms: ['RS256'],
        typ: 'at+jwt',
      });
      return typeof payload.jti === 'string' && typeof payload.exp === 'number' ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}
