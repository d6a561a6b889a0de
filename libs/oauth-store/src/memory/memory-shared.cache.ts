import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { SharedCache } from '../shared-cache';

/** Bounded: past `MAX_ENTRIES` the least recently used entry goes, so a flood of keys never grows memory. */
export const MEMORY_SHARED_CACHE_MAX_ENTRIES = 50_000;

/** The cache of one process (memory and SQLite stores: a single instance). */
@Injectable()
export class MemorySharedCache extends SharedCache {
  private readonly entries = new LRUCache<string, string>({ max: MEMORY_SHARED_CACHE_MAX_ENTRIES });

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, value, { ttl: Math.max(1, Math.ceil(ttlMs)) });
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    // `has` reads a stale entry as absent; single-threaded JS makes the check and the write one step.
    if (this.entries.has(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }
}
