import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { InvalidRequestError, NotFoundError, OAuthError, ServerError } from '@app/oauth-errors';
import { REQUEST_ID_HEADER, requestIdFor } from '@app/runtime';
import { TokenRevocationService } from '../revocation/token-revocation.service';

const TOKEN_STATUS_PATH = '/internal/token-status';
const MAX_JTI_LENGTH = 256;

/**
 * GET /internal/token-status?jti=... answered ahead of Express: the MCP server asks it on every request, and
 * Express routing, Nest's pipeline, helmet and per-request logging cost several times the deny-list lookup.
 * It reads the same TokenRevocationService as TokenStatusController, which still answers every other spelling
 * (trailing slash, HEAD) with the same rules. The caller (mcp) logs the request it serves.
 */
@Injectable()
export class TokenStatusFastPath {
  private readonly logger = new Logger(TokenStatusFastPath.name);

  constructor(private readonly revocation: TokenRevocationService) {}

  /** Takes over the server's request listener; call once the app is initialised (routes exist). */
  mount(server: Server): void {
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) throw new Error('Expected exactly one request listener (the Express app)');
    const express = listeners[0];
    server.removeListener('request', express);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '';
      const queryAt = url.indexOf('?');
      const path = queryAt === -1 ? url : url.slice(0, queryAt);
      if (path !== TOKEN_STATUS_PATH || req.method !== 'GET') return express(req, res);
      void this.answer(req, res, queryAt === -1 ? '' : url.slice(queryAt + 1));
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse, query: string): Promise<void> {
    res.setHeader(REQUEST_ID_HEADER, requestIdFor(req));
    // Never publicly routed: a request that came through a proxy is answered as if nothing were here.
    if (req.headers['x-forwarded-for'] !== undefined)
      return send(res, new NotFoundError('No such endpoint.'));
    const values = new URLSearchParams(query).getAll('jti');
    const jti = values.length === 1 ? values[0] : undefined;
    if (jti === undefined || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
      return send(res, new InvalidRequestError('Query parameter jti is required.'));
    }
    let revoked: boolean;
    try {
      revoked = await this.revocation.isRevoked(jti);
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return send(res, new ServerError('The server could not complete the request.'));
    }
    send(res, { revoked });
  }
}

/** JSON with the headers the Nest pipeline would give it (OAuthExceptionFilter for errors, nosniff always). */
function send(res: ServerResponse, answer: OAuthError | { revoked: boolean }): void {
  const error = answer instanceof OAuthError ? answer : undefined;
  const body = JSON.stringify(error ? error.toResponseObject() : answer);
  res.statusCode = error ? error.status : 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  if (error) res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
}
