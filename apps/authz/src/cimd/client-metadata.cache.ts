import { Injectable } from '@nestjs/common';
import type { ClientRecord } from '@app/oauth-store';
import { LRUCache } from 'lru-cache';

/**
 * Validated metadata documents by URL (CIMD §5.2), each for its own lifetime. Only documents that passed
 * validation are ever put here: errors and invalid documents are never cached. A DI token, bound to the memory
 * cache for one instance or to a shared one when instances share a store.
 */
export abstract class ClientMetadataCache {
  abstract get(url: string): Promise<ClientRecord | undefined>;
  abstract set(url: string, client: ClientRecord, ttlMs: number): Promise<void>;
}

/** Bounded: a flood of distinct URLs evicts the least recently used documents, never grows memory. */
@Injectable()
export class MemoryClientMetadataCache extends ClientMetadataCache {
  private readonly documents = new LRUCache<string, ClientRecord>({ max: 1000 });

  async get(url: string): Promise<ClientRecord | undefined> {
    const client = this.documents.get(url);
    return client && structuredClone(client);
  }

  async set(url: string, client: ClientRecord, ttlMs: number): Promise<void> {
    this.documents.set(url, structuredClone(client), { ttl: ttlMs });
  }
}
