import { LRUCache } from 'lru-cache';
import type { UpstreamInstance } from './upstream-pool';

/** What the gateway remembers of a 2025-era session: where it lives and, on checked routes, whose it is. */
export interface SessionRecord {
  readonly instance: UpstreamInstance;
  /** The token's `sub` and `client_id` when the session was created through a route the gateway checks. */
  readonly subject?: string;
  readonly clientId?: string;
}

export const SESSION_HEADER = 'mcp-session-id';

/**
 * Session affinity for MCP 2025-era Streamable HTTP: a session (`Mcp-Session-Id`, transports "Session
 * Management") lives in the memory of the instance that created it, so every later request of that session goes
 * there. 2026-07-28 requests carry no session and go to any instance. Bounded (least recently used forgotten
 * first) and idle-expiring; a forgotten session's next request is answered 404, which tells an MCP client to
 * start a new one.
 */
export class SessionAffinity {
  private readonly sessions: LRUCache<string, SessionRecord>;

  constructor(max: number, idleMs: number) {
    this.sessions = new LRUCache({ max, ttl: idleMs, updateAgeOnGet: true });
  }

  find(pool: string, id: string): SessionRecord | undefined {
    return this.sessions.get(`${pool} ${id}`);
  }

  remember(pool: string, id: string, record: SessionRecord): void {
    this.sessions.set(`${pool} ${id}`, record);
  }

  forget(pool: string, id: string): void {
    this.sessions.delete(`${pool} ${id}`);
  }
}
