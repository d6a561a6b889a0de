import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { mcpConfig } from '../config/mcp.config';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { McpServerFactory } from './mcp-server.factory';
import type { McpRequest } from './mcp-request';
import { ServerPool } from './server-pool';
import { SessionStore, type McpSession } from './session.store';

const SESSION_HEADER = 'mcp-session-id';

/**
 * The SDK's own DNS-rebinding check compares Host with an exact list and would reject the public names the
 * gateway forwards; OriginCheck applies the configured allow-lists before authentication instead.
 */
const TRANSPORT_DEFAULTS = { enableDnsRebindingProtection: false } as const;

/**
 * Hands authenticated, scope-checked requests to the SDK's Streamable HTTP transport. The SDK owns the JSON-RPC
 * framing, SSE streams and protocol-version checks; this class owns which transport a request goes to.
 */
@Injectable()
export class StreamableHttpService {
  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly factory: McpServerFactory,
    private readonly pool: ServerPool,
    private readonly sessions: SessionStore,
  ) {}

  async post(req: McpRequest, res: ServerResponse): Promise<void> {
    if (this.config.stateless) return this.handleStateless(req, res);
    if (req.headers[SESSION_HEADER] !== undefined) {
      return this.sessionFor(req).transport.handleRequest(req, res, req.body);
    }
    const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    if (!messages.some((message) => isInitializeRequest(message))) {
      throw new JsonRpcHttpException(
        HttpStatus.BAD_REQUEST,
        -32000,
        'Bad Request: Mcp-Session-Id header is required',
      );
    }
    await this.startSession(req, res);
  }

  /** GET opens the session's standalone SSE stream; DELETE ends the session (MCP Streamable HTTP). */
  async getOrDelete(req: McpRequest, res: ServerResponse): Promise<void> {
    if (this.config.stateless) {
      // Without sessions there is nothing to stream or end (Streamable HTTP lets a server answer 405).
      res.setHeader('Allow', 'POST');
      throw new JsonRpcHttpException(
        HttpStatus.METHOD_NOT_ALLOWED,
        -32000,
        'Method not allowed: this server is stateless, use POST',
      );
    }
    await this.sessionFor(req).transport.handleRequest(req, res);
  }

  private sessionFor(req: McpRequest): McpSession {
    const id = req.headers[SESSION_HEADER];
    const auth = req.auth!;
    const session =
      typeof id === 'string' ? this.sessions.find(id, auth.extra.sub, auth.clientId) : undefined;
    if (!session) {
      if (id === undefined) {
        throw new JsonRpcHttpException(
          HttpStatus.BAD_REQUEST,
          -32000,
          'Bad Request: Mcp-Session-Id header is required',
        );
      }
      throw new JsonRpcHttpException(HttpStatus.NOT_FOUND, -32001, 'Session not found');
    }
    return session;
  }

  private async startSession(req: McpRequest, res: ServerResponse): Promise<void> {
    const auth = req.auth!;
    const built = this.factory.create();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      ...TRANSPORT_DEFAULTS,
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) =>
        this.sessions.add({
          id,
          transport,
          server: built.server,
          sub: auth.extra.sub,
          clientId: auth.clientId,
          lastSeen: Date.now(),
        }),
      onsessionclosed: (id) => this.sessions.forget(id),
    });
    transport.onclose = () => this.sessions.forget(transport.sessionId);
    await built.server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    // An initialize the SDK refused never got an id: nothing will ever address this server again.
    if (transport.sessionId === undefined) await built.server.close();
  }

  private async handleStateless(req: McpRequest, res: ServerResponse): Promise<void> {
    const built = this.pool.acquire();
    const transport = new StreamableHTTPServerTransport({
      ...TRANSPORT_DEFAULTS,
      sessionIdGenerator: undefined,
    });
    res.on('close', () => void this.pool.release(built));
    await built.server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }
}
