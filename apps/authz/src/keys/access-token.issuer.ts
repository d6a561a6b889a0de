import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
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
}

/** RS256 JWT access tokens in the RFC 9068 profile. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async issue(request: AccessTokenRequest): Promise<IssuedToken> {
    const key = this.keys.signingKey;
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = this.config.ttl.accessToken;
    const jti = randomUUID();
    // RFC 9068 §2.1: typ "at+jwt"; §2.2: iss, exp, aud, sub, client_id, iat, jti, and scope.
    const accessToken = await new SignJWT({
      ...request.claims,
      client_id: request.clientId,
      scope: formatScope(request.scopes),
    })
      .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid })
      .setIssuer(request.issuer)
      .setSubject(request.subject)
      .setAudience(request.resource)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .setJti(jti)
      .sign(key.privateKey);
    return { accessToken, jti, expiresIn, expiresAt: (now + expiresIn) * 1000, kid: key.kid, alg: key.alg };
  }

  /**
   * Our own token, signature and expiry checked; issuer and audience are not, as any alias may have issued it.
   * Undefined for anything else: revocation and introspection must not reveal why a token was refused.
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
