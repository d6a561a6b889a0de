import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';
import { mcpConfig } from '../config/mcp.config';

export interface McpSession {
  id: string;
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  /** Resource URIs this session subscribed to (resources/subscribe); updates go only to these. */
  subscriptions: Set<string>;
  /** The token identity that created the session; every later request must present the same one. */
  sub: string;
  clientId: string;
  lastSeen: number;
}

/**
 * Live sessions, in least-recently-used order (a Map keeps insertion order; touching re-inserts). Idle sessions
 * are closed by a sweep; when full, the least recently used one makes room.
 */
@Injectable()
export class SessionStore implements OnModuleDestroy {
  private readonly logger = new Logger(SessionStore.name);
  private readonly sessions = new Map<string, McpSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {
    const every = Math.min(60_000, Math.max(1000, Math.floor(config.env.MCP_SESSION_IDLE_MS / 2)));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Every live session, for fanning out change notifications. */
  all(): IterableIterator<McpSession> {
    return this.sessions.values();
  }

  /**
   * The session, only if it belongs to this identity. A session owned by someone else is reported exactly like
   * a missing one, so ids cannot be probed (MCP Streamable HTTP: 404 for an unknown session).
   */
  find(id: string, sub: string, clientId: string): McpSession | undefined {
    const session = this.sessions.get(id);
    if (!session || session.sub !== sub || session.clientId !== clientId) return undefined;
    this.sessions.delete(id);
    session.lastSeen = Date.now();
    this.sessions.set(id, session);
    return session;
  }

  add(session: McpSession): void {
    const own = [...this.sessions.values()].filter(
      (other) => other.sub === session.sub && other.clientId === session.clientId,
    );
    // Oldest first (LRU order): a caller over its own limit loses its own stalest session, nobody else's.
    const excess = own.length + 1 - this.config.env.MCP_MAX_SESSIONS_PER_IDENTITY;
    for (const stale of own.slice(0, Math.max(0, excess))) this.close(stale.id);
    while (this.sessions.size >= this.config.env.MCP_MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value as string;
      this.logger.warn(`session limit reached: closing least recently used session`);
      this.close(oldest);
    }
    this.sessions.set(session.id, session);
  }

  /** Forgets a session whose transport already closed (DELETE, or the server closed it). */
  forget(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  close(id: string): void {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    session?.server.close().catch(() => undefined);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.config.env.MCP_SESSION_IDLE_MS;
    for (const [id, session] of this.sessions) {
      if (session.lastSeen >= cutoff) break; // LRU order: everything after is fresher
      this.close(id);
    }
  }
}
