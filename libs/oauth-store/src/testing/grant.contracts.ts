import type { GrantRecord } from '../records';
import type { GrantRepository } from '../repositories';
import {
  EXTENDABLE_TTL_MS,
  sleepPast,
  later,
  SHORT_TTL_MS,
  sleep,
  uniqueId,
  withRepository,
  type RepositoryFactory,
} from './contract-helpers';

/*
 * Backend-neutral behaviour every repository implementation must show. A backend's spec calls these with a
 * factory: `describeGrantRepositoryContract('redis', async () => ({ repository, dispose }))`.
 */

export function describeGrantRepositoryContract(name: string, factory: RepositoryFactory<GrantRepository>) {
  describe(`GrantRepository contract (${name})`, () => {
    const repo = withRepository(factory);
    const grant = (overrides: Partial<GrantRecord> = {}): GrantRecord => ({
      grantId: uniqueId('grant'),
      clientId: 'client-a',
      subject: 'alice',
      scopes: ['mcp:tools:read', 'mcp:tools:execute'],
      resource: 'http://localhost:3002/mcp',
      createdAt: Date.now(),
      expiresAt: later(),
      ...overrides,
    });

    it('marks the grant revoked and returns it', async () => {
      const saved = grant();
      await repo().save(saved);
      const revoked = await repo().revoke(saved.grantId, 123);
      expect(revoked).toMatchObject({ grantId: saved.grantId, revokedAt: 123 });
      await expect(repo().find(saved.grantId)).resolves.toMatchObject({ revokedAt: 123 });
    });

    it('keeps the first revocation time when revoked twice', async () => {
      const saved = grant();
      await repo().save(saved);
      await repo().revoke(saved.grantId, 1);
      await expect(repo().revoke(saved.grantId, 2)).resolves.toMatchObject({ revokedAt: 1 });
    });

    it('returns undefined when revoking an unknown grant', async () => {
      await expect(repo().revoke(uniqueId('missing'), 1)).resolves.toBeUndefined();
    });

    it('lists the live grants of a client and of a subject, oldest first, revoked ones included', async () => {
      const client = uniqueId('client');
      const subject = uniqueId('subject');
      const first = grant({ clientId: client, subject, createdAt: 1_000 });
      const second = grant({ clientId: client, subject: uniqueId('other'), createdAt: 2_000 });
      const third = grant({ clientId: uniqueId('other-client'), subject, createdAt: 3_000 });
      const gone = grant({ clientId: client, subject, expiresAt: Date.now() + SHORT_TTL_MS });
      for (const saved of [third, second, gone, first]) await repo().save(saved);
      await repo().revoke(second.grantId, 5);
      await sleep(SHORT_TTL_MS + 40);
      const byClient = await repo().listByClient(client);
      expect(byClient.map((found) => found.grantId)).toEqual([first.grantId, second.grantId]);
      expect(byClient[1]).toMatchObject({ revokedAt: 5, subject: second.subject });
      expect((await repo().listBySubject(subject)).map((found) => found.grantId)).toEqual([
        first.grantId,
        third.grantId,
      ]);
      await expect(repo().listByClient(uniqueId('nobody'))).resolves.toEqual([]);
    });

    it('keeps listing a grant its extensions keep alive', async () => {
      const client = uniqueId('client');
      const extended = grant({ clientId: client, expiresAt: Date.now() + EXTENDABLE_TTL_MS });
      await repo().save(extended);
      await repo().extend(extended.grantId, later());
      await sleepPast(extended.expiresAt);
      expect((await repo().listByClient(client)).map((found) => found.grantId)).toEqual([extended.grantId]);
      expect((await repo().listBySubject(extended.subject)).map((found) => found.grantId)).toContain(
        extended.grantId,
      );
    });

    it('expires a grant at its expiresAt unless extended', async () => {
      const short = grant({ expiresAt: Date.now() + EXTENDABLE_TTL_MS });
      const extended = grant({ expiresAt: short.expiresAt });
      await repo().save(short);
      await repo().save(extended);
      await repo().extend(extended.grantId, later());
      await sleepPast(short.expiresAt);
      await expect(repo().find(short.grantId)).resolves.toBeUndefined();
      await expect(repo().find(extended.grantId)).resolves.toMatchObject({ grantId: extended.grantId });
    });
  });
}
