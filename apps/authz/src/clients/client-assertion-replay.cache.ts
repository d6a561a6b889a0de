import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/**
 * Remembers client assertions already used (RFC 7523 §3: the server may refuse a `jti` seen before), each until
 * its `exp`, after which the assertion is refused as expired anyway. A DI token: memory for one instance, a
 * shared store when several instances must refuse the same replay.
 */
export abstract class ClientAssertionReplayCache {
  /** Atomically records `key`; true the first time, false for a replay while the record lives. */
  abstract firstUse(key: string, expiresAt: number): Promise<boolean>;
}

@Injectable()
export class MemoryClientAssertionReplayCache extends ClientAssertionReplayCache {
  // The verifier caps how far ahead `exp` may be, so entries are short-lived; the bound stops a flood.
  private readonly seen = new LRUCache<string, true>({ max: 100_000 });

  async firstUse(key: string, expiresAt: number): Promise<boolean> {
    if (this.seen.has(key)) return false;
    this.seen.set(key, true, { ttl: Math.max(1, expiresAt - Date.now()) });
    return true;
  }
}
