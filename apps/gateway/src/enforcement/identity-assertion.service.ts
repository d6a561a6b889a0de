import { createPrivateKey, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { LRUCache } from 'lru-cache';
import type { ProtectedResource } from '@app/protected-resources';
import type { VerifiedAccessToken } from '@app/resource-server';
import { gatewayConfig } from '../config/gateway.config';
import { identityHeaders, type IdentityHeaders } from './identity-headers';

/** RFC 7518 §3.4: ECDSA P-256; signing costs a fraction of RS256's, and every JOSE library verifies it. */
export const IDENTITY_ALG = 'ES256';
/** RFC 8725 §3.11: its own `typ`, so an assertion can never pass for an access token (at+jwt) or vice versa. */
export const IDENTITY_TYP = 'mcp-identity+jwt';

/** The identity claims authz puts in tokens of federated sign-ins, passed on when present. */
const IDENTITY_CLAIMS = ['idp', 'email', 'email_verified', 'name', 'groups'] as const;

interface Signed {
  headers: IdentityHeaders;
  /** Re-signed after this (ms since the epoch): half its lifetime, so an upstream never gets one near expiry. */
  renewAt: number;
}

/**
 * The signed, short-lived `X-MCP-Identity` assertion (a JWS, RFC 7515) for upstreams with `forward: headers`:
 * `iss` = PUBLIC_URL, `aud` = PUBLIC_URL + the resource's path, `sub`, `client_id`, `scope`, the identity claims,
 * `iat`/`exp` (GATEWAY_IDENTITY_TTL_SECONDS, never past the token's own exp). Signed with the gateway's key
 * (GATEWAY_IDENTITY_KEY_PEM, or one made at boot), whose public half is served at /gateway/jwks.json. One
 * signature serves every request of a token for half the assertion's lifetime, so signing stays off the hot path.
 */
@Injectable()
export class IdentityAssertions implements OnModuleInit {
  private key?: Parameters<SignJWT['sign']>[0];
  private publicJwk?: JWK;
  private readonly signed = new LRUCache<string, Signed>({ max: 10_000 });
  private readonly issuer: string;
  private readonly ttlSeconds: number;

  constructor(@Inject(gatewayConfig.KEY) private readonly config: ConfigType<typeof gatewayConfig>) {
    this.issuer = config.publicUrl.publicUrl;
    this.ttlSeconds = config.identity.ttlSeconds;
  }

  async onModuleInit(): Promise<void> {
    const pem = this.config.identity.keyPem;
    const { privateKey, publicKey } = pem
      ? { privateKey: createPrivateKey(pem), publicKey: undefined }
      : await generateKeyPair(IDENTITY_ALG, { extractable: true });
    this.key = privateKey;
    const jwk = await exportJWK(publicKey ?? privateKey);
    const { kty, crv, x, y } = jwk;
    const publicOnly = { kty, crv, x, y };
    this.publicJwk = {
      ...publicOnly,
      kid: await calculateJwkThumbprint(publicOnly),
      alg: IDENTITY_ALG,
      use: 'sig',
    };
  }

  /** RFC 7517 §5: the key set upstreams verify assertions with. */
  get jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk!] };
  }

  /** The X-MCP-* headers for this token on this resource, signed once per token and half-lifetime. */
  async headersFor(token: VerifiedAccessToken, resource: ProtectedResource): Promise<IdentityHeaders> {
    const cacheKey = `${token.jti} ${resource.path}`;
    const now = Date.now();
    const cached = this.signed.get(cacheKey);
    if (cached && cached.renewAt > now) return cached.headers;
    const iat = Math.floor(now / 1000);
    const exp = Math.min(iat + this.ttlSeconds, token.expiresAt);
    const claims: Record<string, unknown> = { client_id: token.clientId, scope: token.scopes.join(' ') };
    for (const name of IDENTITY_CLAIMS)
      if (token.claims[name] !== undefined) claims[name] = token.claims[name];
    const assertion = await new SignJWT(claims)
      .setProtectedHeader({ alg: IDENTITY_ALG, typ: IDENTITY_TYP, kid: this.publicJwk!.kid })
      .setIssuer(this.issuer)
      .setAudience(`${this.issuer}${resource.path}`)
      .setSubject(token.subject)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key!);
    const headers = identityHeaders(token, assertion);
    this.signed.set(cacheKey, { headers, renewAt: now + ((exp - iat) * 1000) / 2 });
    return headers;
  }
}
