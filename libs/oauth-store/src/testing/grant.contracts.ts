import type { GrantRecord } from '../records';
import type { GrantRepository } from '../repositories';
import {
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

    it('expires a grant at its expiresAt unless extended', async () => {
      const short = grant({ expiresAt: Date.now() + SHORT_TTL_MS });
      const extended = grant({ expiresAt: Date.now() + SHORT_TTL_MS });
      await repo().save(short);
      await repo().save(extended);
      await repo().extend(extended.grantId, later());
      await sleep(SHORT_TTL_MS + 40);
      await expect(repo().find(short.grantId)).resolves.toBeUndefined();
      await expect(repo().find(extended.grantId)).resolves.toMatchObject({ grantId: extended.grantId });
    });
  });
}
