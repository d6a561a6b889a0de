import { HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, type ServerEvent } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { mcpConfig } from '../config/mcp.config';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { ChangeEvents } from '../registry/change-events';
import { McpServerFactory } from './mcp-server.factory';
import type { McpRequest } from './mcp-request';
import { ServerPool } from './server-pool';
import { SessionEventStore } from './session-event.store';
import { SessionStore, type McpSession } from './session.store';

export const SESSION_HEADER = 'mcp-session-id';

const sessionRequired = () =>
  new JsonRpcHttpException(HttpStatus.BAD_REQUEST, -32000, 'Bad Request: Mcp-Session-Id header is required');

/**
 * MCP 2025-11-25 (and 2025-06-18, 2025-03-26) Streamable HTTP with sessions, bound to the token's `sub` and
 * `client_id`: the SDK's 2025 transport per session, resumable (a bounded per-session event store and a `retry`
 * hint), and the session's own resource subscriptions fed from ChangeEvents. With MCP_STATELESS every POST is
 * served on its own by a pooled server.
 */
@Injectable()
export class LegacyHttpService implements OnModuleDestroy {
  private readonly pool: ServerPool;
  private readonly unsubscribe: () => void;

  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly factory: McpServerFactory,
    private readonly sessions: SessionStore,
    changes: ChangeEvents,
  ) {
    this.pool = new ServerPool(() => factory.create('stateless'), config.env.MCP_SERVER_POOL_SIZE);
    this.unsubscribe = changes.bus.subscribe((event) => this.fanOut(event));
  }

  async post(req: McpRequest, res: ServerResponse): Promise<void> {
    if (this.config.stateless) return this.serveStateless(req, res);
    if (req.headers[SESSION_HEADER] !== undefined) {
      return this.sessionFor(req).transport.handleRequest(req, res, req.body);
    }
    const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    if (!messages.some((message) => isInitializeRequest(message))) throw sessionRequired();
    await this.startSession(req, res);
  }

  /** GET opens the session's stream (or resumes one, with Last-Event-ID); DELETE ends the session. */
  async getOrDelete(req: McpRequest, res: ServerResponse): Promise<void> {
    await this.sessionFor(req).transport.handleRequest(req, res);
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private sessionFor(req: McpRequest): McpSession {
    const id = req.headers[SESSION_HEADER];
    const auth = req.auth!;
    const session =
      typeof id === 'string' ? this.sessions.find(id, auth.extra.sub, auth.clientId) : undefined;
    if (session) return session;
    if (id === undefined) throw sessionRequired();
    throw new JsonRpcHttpException(HttpStatus.NOT_FOUND, -32001, 'Session not found');
  }

  private async startSession(req: McpRequest, res: ServerResponse): Promise<void> {
    const auth = req.auth!;
    // Room is made (or refused with 429) before the SDK answers the initialize with a session id.
    const reservation = this.sessions.reserve(auth.extra.sub);
    const subscriptions = new Set<string>();
    const { server } = this.factory.create('session', subscriptions);
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      eventStore: new SessionEventStore(this.config.env.MCP_EVENT_STORE_MAX_EVENTS),
      retryInterval: this.config.env.MCP_SSE_RETRY_MS,
      onsessioninitialized: (id) =>
        this.sessions.add(reservation, {
          id,
          transport,
          server,
          subscriptions,
          sub: auth.extra.sub,
          clientId: auth.clientId,
          lastSeen: Date.now(),
        }),
      onsessionclosed: (id) => this.sessions.forget(id),
    });
    transport.onclose = () => this.sessions.forget(transport.sessionId);
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } finally {
      this.sessions.release(reservation);
    }
    // An initialize the SDK refused never got an id: nothing will ever address this server again.
    if (transport.sessionId === undefined) await server.close();
  }

  private async serveStateless(req: McpRequest, res: ServerResponse): Promise<void> {
    const built = this.pool.acquire();
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await built.server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  /** MCP 2025-11-25 server/resources and server/tools notifications, on each session's stream. */
  private fanOut(event: ServerEvent): void {
    for (const { server, subscriptions } of this.sessions.all()) {
      if (event.kind === 'resource_updated') {
        if (subscriptions.has(event.uri))
          void server.server.sendResourceUpdated({ uri: event.uri }).catch(() => {});
      } else if (event.kind === 'resources_list_changed') server.sendResourceListChanged();
      else if (event.kind === 'tools_list_changed') server.sendToolListChanged();
      else server.sendPromptListChanged();
    }
  }
}
