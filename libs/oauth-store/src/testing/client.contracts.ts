import type { StoredClientRecord } from '../records';
import type { ClientRepository, ConsentRepository } from '../repositories';
import {
  EXTENDABLE_TTL_MS,
  sleepPast,
  later,
  SHORT_TTL_MS,
  sleep,
  uniqueId,
  withLimits,
  withRepository,
  type RepositoryFactory,
} from './contract-helpers';

/*
 * Backend-neutral behaviour every repository implementation must show. A backend's spec calls these with a
 * factory: `describeClientRepositoryContract('redis', async (limits) => ({ repository, dispose }))`.
 */

const client = (overrides: Partial<StoredClientRecord> = {}): StoredClientRecord => ({
  clientId: uniqueId('client'),
  clientName: 'Test',
  redirectUris: ['https://app.example/cb'],
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['code'],
  tokenEndpointAuthMethod: 'none',
  scopes: ['mcp:tools:read'],
  clientIdIssuedAt: 1_700_000_000,
  metadata: { client_uri: 'https://app.example', contacts: ['ops@app.example'] },
  expiresAt: later(),
  ...overrides,
});

export function describeClientRepositoryContract(name: string, factory: RepositoryFactory<ClientRepository>) {
  describe(`ClientRepository contract (${name})`, () => {
    const repo = withRepository(factory);

    it('returns a saved client and undefined for an unknown id', async () => {
      const saved = client();
      await repo().save(saved);
      await expect(repo().find(saved.clientId)).resolves.toEqual(saved);
      await expect(repo().find(uniqueId('missing'))).resolves.toBeUndefined();
    });

    it('forgets a deleted client', async () => {
      const saved = client();
      await repo().save(saved);
      await repo().delete(saved.clientId);
      await expect(repo().find(saved.clientId)).resolves.toBeUndefined();
      await expect(repo().count()).resolves.toBe(0);
    });

    it('lists the live clients, oldest registration first', async () => {
      const first = client({ clientIdIssuedAt: 1_700_000_001 });
      const second = client({ clientIdIssuedAt: 1_700_000_002 });
      const gone = client({ expiresAt: Date.now() + SHORT_TTL_MS });
      await repo().save(second);
      await repo().save(gone);
      await repo().save(first);
      await repo().markUsed(second.clientId, 42, later());
      await sleep(SHORT_TTL_MS + 40);
      const listed = await repo().list();
      expect(listed.map((found) => found.clientId)).toEqual([first.clientId, second.clientId]);
      expect(listed[1]).toMatchObject({ lastUsedAt: 42, redirectUris: second.redirectUris });
    });

    it('does not let a caller mutate the stored record', async () => {
      const saved = client();
      await repo().save(saved);
      const found = await repo().find(saved.clientId);
      found!.redirectUris.push('https://evil.example/cb');
      await expect(repo().find(saved.clientId)).resolves.toEqual(saved);
    });

    it('forgets a client at its expiresAt unless a use pushed it out', async () => {
      const idle = client({ expiresAt: Date.now() + EXTENDABLE_TTL_MS });
      const active = client({ expiresAt: idle.expiresAt });
      await repo().save(idle);
      await repo().save(active);
      await repo().markUsed(active.clientId, 42, later());
      await expect(repo().count()).resolves.toBe(2);
      await sleepPast(idle.expiresAt);
      await expect(repo().find(idle.clientId)).resolves.toBeUndefined();
      await expect(repo().find(active.clientId)).resolves.toMatchObject({ lastUsedAt: 42 });
      await expect(repo().count()).resolves.toBe(1);
    });

    it('records the last use and never shortens the lifetime', async () => {
      const saved = client({ expiresAt: later(120_000) });
      await repo().save(saved);
      await repo().markUsed(saved.clientId, 7, later(1_000));
      await expect(repo().find(saved.clientId)).resolves.toEqual({
        ...saved,
        lastUsedAt: 7,
        expiresAt: saved.expiresAt,
      });
      await repo().markUsed(uniqueId('missing'), 7, later());
      await expect(repo().count()).resolves.toBe(1);
    });

    it('when full, evicts the never-used client first, then the least recently active', async () => {
      await withLimits(factory, { maxClients: 3 }, async (store) => {
        const base = Date.now() + 60_000;
        const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((i) => client({ expiresAt: base + i }));
        for (const saved of [a, b, c]) await store.save(saved);
        await store.markUsed(a.clientId, 1, base + 100);
        await store.save(d);
        // b was never used and registered before c: it goes, a stays although it is older.
        await expect(store.find(b.clientId)).resolves.toBeUndefined();
        await store.markUsed(c.clientId, 2, base + 200);
        await store.markUsed(d.clientId, 3, base + 300);
        await store.save(e);
        // e is the only never-used client left after the save; among the used, a was active least recently.
        await expect(store.find(a.clientId)).resolves.toBeUndefined();
        for (const kept of [c, d, e]) await expect(store.find(kept.clientId)).resolves.toBeDefined();
        await expect(store.count()).resolves.toBe(3);
      });
    });
  });
}

export function describeConsentRepositoryContract(
  name: string,
  factory: RepositoryFactory<ConsentRepository>,
) {
  describe(`ConsentRepository contract (${name})`, () => {
    const repo = withRepository(factory);

    it('stores one consent per subject and client, the latest winning', async () => {
      const subject = uniqueId('user');
      const expiresAt = later();
      await repo().save({ subject, clientId: 'c1', scopes: ['a'], grantedAt: 1, expiresAt });
      await repo().save({ subject, clientId: 'c1', scopes: ['a', 'b'], grantedAt: 2, expiresAt });
      await expect(repo().find(subject, 'c1')).resolves.toEqual({
        subject,
        clientId: 'c1',
        scopes: ['a', 'b'],
        grantedAt: 2,
        expiresAt,
      });
      await expect(repo().find(subject, 'c2')).resolves.toBeUndefined();
    });

    it('keeps subjects and clients apart even when their names run together', async () => {
      const expiresAt = later();
      await repo().save({ subject: 'a:b', clientId: 'c', scopes: ['x'], grantedAt: 1, expiresAt });
      await expect(repo().find('a', 'b:c')).resolves.toBeUndefined();
    });

    it('forgets a consent at its expiresAt', async () => {
      const subject = uniqueId('user');
      await repo().save({
        subject,
        clientId: 'c1',
        scopes: ['a'],
        grantedAt: 1,
        expiresAt: later(SHORT_TTL_MS),
      });
      await sleep(SHORT_TTL_MS + 40);
      await expect(repo().find(subject, 'c1')).resolves.toBeUndefined();
    });
  });
}
