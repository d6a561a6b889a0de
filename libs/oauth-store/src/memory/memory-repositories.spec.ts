import type { StoreLimits } from '../store-options';
import { describeRepositoryContracts } from '../testing';
import { MEMORY_REPOSITORIES } from '.';
import { MemoryConsentRepository } from './memory-clients.repository';
import { MemoryGrantRepository } from './memory-grants.repository';
import { TtlMap } from './ttl-map';

describeRepositoryContracts('memory', async (name, limits) => {
  const Implementation = MEMORY_REPOSITORIES[name] as unknown as new (limits: StoreLimits) => never;
  const repository = new Implementation(limits) as { onModuleDestroy?: () => void };
  return { repository: repository as never, dispose: () => repository.onModuleDestroy?.() };
});

describe('memory bounds', () => {
  const later = () => Date.now() + 60_000;
  const limits = { maxClients: 10, memory: { maxGrants: 2, maxConsents: 2 } };

  it('keeps at most maxGrants grants, evicting the least recently used', async () => {
    const grants = new MemoryGrantRepository(limits);
    const grant = (grantId: string) => ({
      grantId,
      clientId: 'c',
      subject: 's',
      scopes: [],
      resource: 'r',
      createdAt: 0,
      expiresAt: later(),
    });
    await grants.save(grant('a'));
    await grants.save(grant('b'));
    await grants.find('a');
    await grants.save(grant('c'));
    await expect(grants.find('b')).resolves.toBeUndefined();
    await expect(grants.find('a')).resolves.toBeDefined();
    await expect(grants.find('c')).resolves.toBeDefined();
  });

  it('keeps at most maxConsents consents', async () => {
    const consents = new MemoryConsentRepository(limits);
    for (const clientId of ['a', 'b', 'c']) {
      await consents.save({ subject: 's', clientId, scopes: [], grantedAt: 0, expiresAt: later() });
    }
    await expect(consents.find('s', 'a')).resolves.toBeUndefined();
    await expect(consents.find('s', 'c')).resolves.toBeDefined();
  });
});

describe('TtlMap', () => {
  it('purges expired entries so memory stays bounded', () => {
    let now = 1_000;
    const map = new TtlMap<number>({ now: () => now });
    map.set('a', 1, 2_000);
    map.set('b', 2, 5_000);
    now = 3_000;
    map.purge();
    expect(map.size).toBe(1);
    expect(map.get('b')).toBe(2);
    map.close();
  });

  it('does not store an entry that is already expired', () => {
    const map = new TtlMap<number>({ now: () => 10 });
    map.set('a', 1, 10);
    expect(map.size).toBe(0);
    map.close();
  });
});
