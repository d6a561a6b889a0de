import { Injectable } from '@nestjs/common';
import { SharedCache } from '@app/oauth-store';

/**
 * Client assertions already used (RFC 7523 §3: the server may refuse a `jti` it has seen), each remembered until
 * its `exp`, after which it is refused as expired anyway. Kept in the store's SharedCache, so with STORE_URL set a
 * replay to another instance is refused too. It fails closed: when the cache cannot be reached the assertion is
 * refused (503), never accepted unchecked.
 */
@Injectable()
export class ClientAssertionReplayCache {
  constructor(private readonly cache: SharedCache) {}

  /** Atomically records `key`; true the first time, false for a replay while the record lives. */
  firstUse(key: string, expiresAt: number): Promise<boolean> {
    return this.cache.add(`jti:${key}`, '1', Math.max(1, expiresAt - Date.now()));
  }
}
