import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mcpConfig } from '../config/mcp.config';
import type { McpRequest } from '../transport/mcp-request';
import { publicBaseOf } from '../transport/public-base';
import { AccessTokenVerifier } from './access-token.verifier';
import { BearerChallengeException } from './auth.exceptions';
import { TokenStatusClient } from './token-status.client';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const FORM = /^application\/x-www-form-urlencoded/i;

/**
 * Authenticates every /mcp request: the token must come in the Authorization header (MCP authorization
 * "Token Requirements" forbids the query string; RFC 6750 §2.2/§2.3 methods are refused), verify as a JWT
 * access token for this resource, and not be revoked. The result is left at `req.auth` for the scope check and
 * the SDK (`extra.authInfo`).
 */
@Injectable()
export class BearerAuthenticator {
  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly verifier: AccessTokenVerifier,
    private readonly tokenStatus: TokenStatusClient,
  ) {}

  /** Leaves the verified token at `req.auth`; throws the 401 (or 503) refusal. */
  async authenticate(req: McpRequest): Promise<void> {
    const base = publicBaseOf(req, this.config.publicUrl);
    const url = req.url ?? '';
    const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?'))) : undefined;
    if (query?.has('access_token') || FORM.test(req.headers['content-type'] ?? '')) {
      throw new BearerChallengeException(
        'invalid_request',
        'access tokens are accepted only in the Authorization header, never in the query string or body',
      );
    }
    const header = req.headers.authorization;
    if (!header) {
      throw new BearerChallengeException(
        undefined,
        'a Bearer access token is required in the Authorization header',
      );
    }
    if (!/^Bearer(\s|$)/i.test(header)) {
      throw new BearerChallengeException(
        'invalid_request',
        'the Authorization header must use the Bearer scheme',
      );
    }
    const match = BEARER.exec(header.trim());
    if (!match) throw new BearerChallengeException('invalid_token', 'the access token is malformed');
    const token = match[1];
    const verified = await this.verifier.verify(token, base);
    if (await this.tokenStatus.isRevoked(verified.jti)) {
      throw new BearerChallengeException('invalid_token', 'the access token has been revoked');
    }
    req.auth = {
      token,
      clientId: verified.clientId,
      scopes: verified.scopes,
      expiresAt: verified.expiresAt,
      resource: new URL(`${base}/mcp`),
      extra: { sub: verified.sub, jti: verified.jti },
    };
  }
}
