import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { byCreation, type GrantRecord } from '../records';
import { GrantRepository } from '../repositories';
import { MEMORY_DEFAULT_LIMITS, OAUTH_STORE_OPTIONS, type StoreLimits } from '../store-options';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * Grants: at most `memory.maxGrants`, the least recently used evicted first (its refresh tokens then stop
 * working), each gone at its own expiresAt.
 */
@Injectable()
export class MemoryGrantRepository extends GrantRepository {
  private readonly grants: LRUCache<string, GrantRecord>;

  constructor(@Inject(OAUTH_STORE_OPTIONS) limits: StoreLimits) {
    super();
    this.grants = new LRUCache({ max: limits.memory?.maxGrants ?? MEMORY_DEFAULT_LIMITS.maxGrants });
  }

  private put(grant: GrantRecord): void {
    const ttl = grant.expiresAt - Date.now();
    if (ttl <= 0) this.grants.delete(grant.grantId);
    else this.grants.set(grant.grantId, grant, { ttl });
  }

  async save(grant: GrantRecord): Promise<void> {
    this.put(copy(grant));
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    const grant = this.grants.get(grantId);
    return grant && copy(grant);
  }

  async extend(grantId: string, expiresAt: number): Promise<void> {
    const grant = this.grants.get(grantId);
    if (grant && expiresAt > grant.expiresAt) this.put({ ...grant, expiresAt });
  }

  async revoke(grantId: string, at: number): Promise<GrantRecord | undefined> {
    const grant = this.grants.get(grantId);
    if (!grant) return undefined;
    const revoked = { ...grant, revokedAt: grant.revokedAt ?? at };
    this.put(revoked);
    return copy(revoked);
  }

  async listByClient(clientId: string): Promise<GrantRecord[]> {
    return this.listWhere((grant) => grant.clientId === clientId);
  }

  async listBySubject(subject: string): Promise<GrantRecord[]> {
    return this.listWhere((grant) => grant.subject === subject);
  }

  /** A scan: at most `memory.maxGrants` grants, and only operators ask. Peeks, so recency is left alone. */
  private listWhere(accept: (grant: GrantRecord) => boolean): GrantRecord[] {
    const now = Date.now();
    const found: GrantRecord[] = [];
    for (const grant of this.grants.values()) {
      if (grant.expiresAt > now && accept(grant)) found.push(copy(grant));
    }
    return found.sort(byCreation);
  }
}
