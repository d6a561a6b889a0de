import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeJson, type FrontDoor } from '@app/runtime';
import { mcpConfig } from '../config/mcp.config';
import { SessionStore } from '../transport/session.store';

export const SESSIONS_PATH = '/internal/sessions';
const NO_STORE = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/**
 * GET /internal/sessions: the open MCP sessions of this process (Streamable HTTP sessions of 2025-era clients,
 * kept in memory), for the admin CLI's `sessions list`. A session id is half a credential (with a token of the
 * same identity it addresses the session), so only its first 8 characters are shown. Private: the gateway never
 * routes /internal, and a proxied request (X-Forwarded-For) gets 404.
 */
@Injectable()
export class SessionsFrontDoor implements FrontDoor {
  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly sessions: SessionStore,
  ) {}

  matches(_req: IncomingMessage, path: string): boolean {
    return path === SESSIONS_PATH;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers['x-forwarded-for'] !== undefined) {
      return writeJson(res, 404, { statusCode: 404, message: 'Not Found' }, NO_STORE);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return writeJson(res, 405, { statusCode: 405, message: 'Method Not Allowed' }, NO_STORE);
    }
    const now = Date.now();
    const sessions = [...this.sessions.all()].map((session) => ({
      id: `${session.id.slice(0, 8)}…`,
      sub: session.sub,
      client_id: session.clientId,
      last_seen: new Date(session.lastSeen).toISOString(),
      idle_seconds: Math.round((now - session.lastSeen) / 1000),
    }));
    writeJson(res, 200, { stateless: this.config.stateless, sessions }, NO_STORE);
  }
}
