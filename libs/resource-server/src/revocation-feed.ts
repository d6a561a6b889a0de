/** What a push channel tells the grant cache. */
export interface RevocationListener {
  /**
   * The channel is delivering every revocation from now on, but what was learned before may be stale (a
   * reconnect may have missed events; a new authz epoch may have lost its store): forget it.
   */
  resync(reason: string): void;
  /** The channel stopped: until the next resync, nothing it would say can be relied on. */
  lost(reason: string): void;
  grantRevoked(grantId: string): void;
  clientRevoked(clientId: string, at: number): void;
  /** authz has new signing keys: the JWKS is fetched again. */
  keysChanged(): void;
}

/**
 * The push channel revocations arrive by: the internal stream from authz (single process) or Redis pub/sub
 * (cluster mode, STORE_URL). An abstract class so it doubles as the DI token bound to one of them.
 */
export abstract class RevocationFeed {
  /** Whether the channel is connected and synced (events arrive as they happen). */
  abstract readonly up: boolean;
  /** Connects, and keeps reconnecting until stopped; `listener` hears everything. */
  abstract start(listener: RevocationListener): void;
  abstract stop(): Promise<void>;
}
