import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidRequestError, MethodNotAllowedError, NotFoundError, sendOAuthError } from '@app/oauth-errors';
import { writeJson, type FrontDoor } from '@app/runtime';
import { TokenRevocationService } from '../revocation/token-revocation.service';

const TOKEN_STATUS_PATH = '/internal/token-status';
const MAX_JTI_LENGTH = 256;

/**
 * GET /internal/token-status?jti=... -> {"revoked": boolean}: the MCP server asks it on every request, so it is
 * answered ahead of Express, whose routing, Nest pipeline, helmet and per-request logging cost several times the
 * deny-list lookup. Private: the gateway never routes /internal. Only this exact path is served here; other
 * spellings reach Nest and get its 404.
 */
@Injectable()
export class TokenStatusFrontDoor implements FrontDoor {
  /** The caller (mcp) logs the request it serves; one line per MCP request is enough. */
  readonly accessLog = false;

  constructor(private readonly revocation: TokenRevocationService) {}

  matches(_req: IncomingMessage, path: string): boolean {
    return path === TOKEN_STATUS_PATH;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // What helmet would add on a Nest route: a JSON answer is never sniffed as something else.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      const revoked = await this.revoked(req);
      writeJson(res, 200, { revoked }, { 'Cache-Control': 'no-store' });
    } catch (error) {
      sendOAuthError(res, error);
    }
  }

  /** The steps, in order: not through a proxy, GET (or HEAD), one well-formed jti, then the deny-list. */
  private async revoked(req: IncomingMessage): Promise<boolean> {
    // A request that came through a proxy is answered as if nothing were here (defence in depth).
    if (req.headers['x-forwarded-for'] !== undefined) throw new NotFoundError('No such endpoint.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new MethodNotAllowedError('Use GET.', 'GET, HEAD');
    }
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const values = queryAt === -1 ? [] : new URLSearchParams(url.slice(queryAt + 1)).getAll('jti');
    const jti = values.length === 1 ? values[0] : undefined;
    if (jti === undefined || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
      throw new InvalidRequestError('Query parameter jti is required.');
    }
    return this.revocation.isRevoked(jti);
  }
}
