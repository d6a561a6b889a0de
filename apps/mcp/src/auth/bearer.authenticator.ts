import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  readBearerToken,
  ResourceServerAuthenticator,
  type ExpectedToken,
  type TokenRefusal,
} from '@app/resource-server';
import { mcpConfig } from '../config/mcp.config';
import { MCP_PATH, type McpRequest } from '../transport/mcp-request';
import { publicBaseOf } from '../transport/public-base';
import { AuthUnavailableException, BearerChallengeException } from './auth.exceptions';

interface Resource {
  expected: ExpectedToken;
  url: URL;
}

/** Public bases are PUBLIC_URL and its aliases (with whatever port a client used): a few, but not trusted. */
const MAX_REMEMBERED_BASES = 64;

function refusal(result: TokenRefusal): Error {
  return result.kind === 'unavailable'
    ? new AuthUnavailableException(result.description, result.retryAfterSeconds)
    : new BearerChallengeException(result.error, result.description);
}

/**
 * Authenticates every /mcp request with @app/resource-server: the token comes in the Authorization header only,
 * verifies as an access token of the alias the request used for this resource (`${base}/mcp`), and its grant
 * is active. The result is left at `req.auth` for the scope check and the SDK (`extra.authInfo`).
 */
@Injectable()
export class BearerAuthenticator {
  private readonly resources = new Map<string, Resource>();

  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly tokens: ResourceServerAuthenticator,
  ) {}

  /** Leaves the verified token at `req.auth`; throws the 401 (or 503) refusal. */
  async authenticate(req: McpRequest): Promise<void> {
    const resource = this.resourceFor(publicBaseOf(req, this.config.publicUrl));
    const token = readBearerToken(req);
    if (typeof token !== 'string') throw refusal(token);
    const verified = await this.tokens.authenticate(token, resource.expected);
    if (verified.kind !== 'valid') throw refusal(verified);
    req.auth = {
      token,
      clientId: verified.clientId,
      // Frozen and shared by every request with this token; nothing downstream writes to it.
      scopes: verified.scopes as string[],
      expiresAt: verified.expiresAt,
      resource: resource.url,
      extra: { sub: verified.subject, jti: verified.jti },
    };
  }

  /** The issuer and audience a token must carry on this base, built once per base. */
  private resourceFor(base: string): Resource {
    const known = this.resources.get(base);
    if (known) return known;
    const audience = `${base}${MCP_PATH}`;
    const resource = { expected: { issuer: base, audience }, url: new URL(audience) };
    if (this.resources.size < MAX_REMEMBERED_BASES) this.resources.set(base, resource);
    return resource;
  }
}
