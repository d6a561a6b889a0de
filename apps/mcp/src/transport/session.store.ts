import { HttpStatus, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
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

/** A place held for a session being initialized: counted against the caps until it is added or released. */
export interface SessionReservation {
  readonly sub: string;
  settled: boolean;
}

/**
 * Live sessions, in least-recently-used order (a Map keeps insertion order; touching re-inserts), with each
 * subject's own ids in the same order. Caps count per subject (the token's `sub`), never per client: client ids
 * are free to anyone who registers. When the server is full, room is made at the expense of whoever holds the
 * most sessions, the newcomer's own subject first, and never by taking a subject's last session: if every
 * subject holds one, the newcomer waits (429 with Retry-After). Idle sessions are closed by a sweep.
 */
@Injectable()
export class SessionStore implements OnApplicationShutdown {
  private readonly logger = new Logger(SessionStore.name);
  private readonly sessions = new Map<string, McpSession>();
  private readonly bySubject = new Map<string, Set<string>>();
  /** Initializations under way, per subject. */
  private readonly pending = new Map<string, number>();
  private pendingTotal = 0;
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
    this.touch(session);
    return session;
  }

  /**
   * Holds a place for a new session of `sub`, closing whichever session the caps give up for it; throws the
   * 429 refusal when only another subject's last session could make room.
   */
  reserve(sub: string): SessionReservation {
    const own = this.bySubject.get(sub);
    // The caller's own stalest sessions make room under its cap (LRU order), nobody else's.
    const excess = this.countOf(sub) + 1 - this.config.env.MCP_MAX_SESSIONS_PER_SUBJECT;
    for (const id of [...(own ?? [])].slice(0, Math.max(0, excess))) this.close(id);
    while (this.sessions.size + this.pendingTotal >= this.config.env.MCP_MAX_SESSIONS) {
      const victim = this.victimFor(sub);
      if (victim === undefined) throw this.full();
      this.logger.warn(
        'session limit reached: closing the least recently used session of the largest holder',
      );
      this.close(victim);
    }
    this.pending.set(sub, (this.pending.get(sub) ?? 0) + 1);
    this.pendingTotal++;
    return { sub, settled: false };
  }

  /** Turns a reservation into a live session. */
  add(reservation: SessionReservation, session: McpSession): void {
    this.release(reservation);
    this.sessions.set(session.id, session);
    const own = this.bySubject.get(session.sub) ?? new Set<string>();
    own.add(session.id);
    this.bySubject.set(session.sub, own);
  }

  /** Gives a reservation back (the initialize was refused, or the session was added). */
  release(reservation: SessionReservation): void {
    if (reservation.settled) return;
    reservation.settled = true;
    const left = (this.pending.get(reservation.sub) ?? 1) - 1;
    if (left > 0) this.pending.set(reservation.sub, left);
    else this.pending.delete(reservation.sub);
    this.pendingTotal--;
  }

  /** Forgets a session whose transport already closed (DELETE, or the server closed it). */
  forget(id: string | undefined): void {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(session.id);
    const own = this.bySubject.get(session.sub);
    own?.delete(session.id);
    if (own?.size === 0) this.bySubject.delete(session.sub);
  }

  close(id: string): void {
    const session = this.sessions.get(id);
    this.forget(id);
    session?.server.close().catch(() => undefined);
  }

  /** Closes every session (their streams end); the drain calls it once in-flight calls are done. */
  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.closeAll();
  }

  private countOf(sub: string): number {
    return (this.bySubject.get(sub)?.size ?? 0) + (this.pending.get(sub) ?? 0);
  }

  /**
   * The least recently used session of the subject holding the most: `sub` itself when it holds as many as
   * anyone, otherwise a larger holder, which keeps at least one. Undefined when no such session exists.
   */
  private victimFor(sub: string): string | undefined {
    const ownCount = this.bySubject.get(sub)?.size ?? 0;
    let largest: Set<string> | undefined;
    for (const [holder, ids] of this.bySubject) {
      if (holder !== sub && ids.size > (largest?.size ?? 1)) largest = ids;
    }
    if (ownCount > 0 && ownCount >= (largest?.size ?? 0))
      return this.bySubject.get(sub)!.values().next().value;
    return largest?.values().next().value;
  }

  /** 429 with the time until the least recently used session goes idle and is swept (RFC 6585 §4). */
  private full(): JsonRpcHttpException {
    const oldest = this.sessions.values().next().value as McpSession | undefined;
    const idleAt = (oldest?.lastSeen ?? Date.now()) + this.config.env.MCP_SESSION_IDLE_MS;
    const retryAfter = Math.max(1, Math.ceil((idleAt - Date.now()) / 1000));
    this.logger.warn('session limit reached: every subject holds one session, new session refused');
    return new JsonRpcHttpException(
      HttpStatus.TOO_MANY_REQUESTS,
      -32000,
      'Too many sessions on this server; retry later',
      null,
      undefined,
      retryAfter,
    );
  }

  private touch(session: McpSession): void {
    session.lastSeen = Date.now();
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    const own = this.bySubject.get(session.sub)!;
    own.delete(session.id);
    own.add(session.id);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.config.env.MCP_SESSION_IDLE_MS;
    for (const [id, session] of this.sessions) {
      if (session.lastSeen >= cutoff) break; // LRU order: everything after is fresher
      this.close(id);
    }
  }
}
