import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { byRegistration, type ClientRecord, type ConsentRecord, type StoredClientRecord } from '../records';
import { ClientRepository, ConsentRepository } from '../repositories';
import { MEMORY_DEFAULT_LIMITS, OAUTH_STORE_OPTIONS, type StoreLimits } from '../store-options';

/*
 * Records are kept as JSON strings: a caller can never mutate stored state, and a client costs about its JSON
 * size (one byte per ASCII character) instead of an object graph several times larger.
 */

const lifetime = (expiresAt: number) => expiresAt - Date.now();

/**
 * Never-used and used clients live in two LRU caches, so the cap evicts a never-used client first (a
 * registration flood evicts its own kind) and a client that completed a flow only when nothing else is left.
 * Order within each cache is registration (unused) or last use (used), i.e. expiry order for fixed lifetimes.
 */
@Injectable()
export class MemoryClientRepository extends ClientRepository {
  private readonly unused: LRUCache<string, string>;
  private readonly used: LRUCache<string, string>;
  private readonly max: number;

  constructor(@Inject(OAUTH_STORE_OPTIONS) limits: StoreLimits) {
    super();
    this.max = limits.maxClients;
    this.unused = new LRUCache({ max: this.max });
    this.used = new LRUCache({ max: this.max });
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    const json = this.unused.peek(clientId) ?? this.used.peek(clientId);
    return json === undefined ? undefined : (JSON.parse(json) as ClientRecord);
  }

  async save(client: StoredClientRecord): Promise<void> {
    await this.delete(client.clientId);
    const ttl = lifetime(client.expiresAt);
    if (ttl <= 0) return;
    while (this.unused.size + this.used.size >= this.max) {
      if (this.unused.size > 0) this.unused.pop();
      else this.used.pop();
    }
    this.unused.set(client.clientId, JSON.stringify(client), { ttl });
  }

  async markUsed(clientId: string, at: number, expiresAt: number): Promise<void> {
    const client = (await this.find(clientId)) as StoredClientRecord | undefined;
    if (!client) return;
    const updated = { ...client, lastUsedAt: at, expiresAt: Math.max(client.expiresAt, expiresAt) };
    this.unused.delete(clientId);
    this.used.set(clientId, JSON.stringify(updated), { ttl: lifetime(updated.expiresAt) });
  }

  async delete(clientId: string): Promise<void> {
    this.unused.delete(clientId);
    this.used.delete(clientId);
  }

  async count(): Promise<number> {
    this.unused.purgeStale();
    this.used.purgeStale();
    return this.unused.size + this.used.size;
  }

  async list(): Promise<ClientRecord[]> {
    this.unused.purgeStale();
    this.used.purgeStale();
    const json = [...this.unused.values(), ...this.used.values()];
    return json.map((text) => JSON.parse(text) as ClientRecord).sort(byRegistration);
  }
}

/** Consents: at most `memory.maxConsents`, the least recently read or written evicted first. */
@Injectable()
export class MemoryConsentRepository extends ConsentRepository {
  private readonly consents: LRUCache<string, string>;

  constructor(@Inject(OAUTH_STORE_OPTIONS) limits: StoreLimits) {
    super();
    this.consents = new LRUCache({
      max: limits.memory?.maxConsents ?? MEMORY_DEFAULT_LIMITS.maxConsents,
    });
  }

  async find(subject: string, clientId: string): Promise<ConsentRecord | undefined> {
    const json = this.consents.get(JSON.stringify([subject, clientId]));
    return json === undefined ? undefined : (JSON.parse(json) as ConsentRecord);
  }

  async save(consent: ConsentRecord): Promise<void> {
    const key = JSON.stringify([consent.subject, consent.clientId]);
    const ttl = lifetime(consent.expiresAt);
    if (ttl <= 0) this.consents.delete(key);
    else this.consents.set(key, JSON.stringify(consent), { ttl });
  }
}
