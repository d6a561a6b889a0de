import type { RefreshTokenRecord, RotationResult } from '../records';
import type { RefreshTokenRepository } from '../repositories';
import {
  later,
  SHORT_TTL_MS,
  sleep,
  uniqueId,
  withRepository,
  type RepositoryFactory,
} from './contract-helpers';

const GRACE_MS = 30_000;

/*
 * Rotation with a reuse grace (RFC 9700 §4.14.2; the rule is refresh-rotation.rule.ts). Backend-neutral: every
 * backend's spec runs these, the same tests.
 */
export function describeRefreshTokenRepositoryContract(
  name: string,
  factory: RepositoryFactory<RefreshTokenRepository>,
) {
  describe(`RefreshTokenRepository contract (${name})`, () => {
    const repo = withRepository(factory);
    const grantId = uniqueId('grant');
    const token = (overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
      id: uniqueId('rt'),
      grantId,
      clientId: 'client-a',
      scopes: ['mcp:tools:read'],
      resource: 'http://localhost:3002/mcp',
      issuedAt: Date.now(),
      expiresAt: later(),
      ...overrides,
    });
    const childOf = (parent: RefreshTokenRecord) => token({ parentId: parent.id });
    const rotate = (
      presented: RefreshTokenRecord,
      successor = childOf(presented),
      now = Date.now(),
      graceMs = GRACE_MS,
    ) => repo().rotate({ presentedId: presented.id, successor, now, graceMs });
    const outcomes = (results: RotationResult[]) => results.map((result) => result.outcome).sort();

    it('finds a saved token, rotates it once and stores its successor', async () => {
      const first = token();
      await repo().save(first);
      await expect(repo().find(first.id)).resolves.toEqual(first);
      const successor = childOf(first);
      const result = await rotate(first, successor, 1_000);
      expect(result).toMatchObject({
        outcome: 'rotated',
        record: { id: first.id, grantId, scopes: first.scopes },
      });
      await expect(repo().find(first.id)).resolves.toEqual({ ...first, consumedAt: 1_000 });
      await expect(repo().find(successor.id)).resolves.toEqual(successor);
    });

    it('within the grace, rotates a spent token again: a sibling for the same grant', async () => {
      const first = token();
      await repo().save(first);
      const now = Date.now();
      await rotate(first, childOf(first), now);
      const sibling = childOf(first);
      await expect(rotate(first, sibling, now + GRACE_MS - 1)).resolves.toMatchObject({ outcome: 'grace' });
      await expect(repo().find(sibling.id)).resolves.toEqual(sibling);
    });

    it('closes the grace once a successor is used: the predecessor and the other siblings are reuse', async () => {
      const first = token();
      await repo().save(first);
      const [used, other] = [childOf(first), childOf(first)];
      await rotate(first, used);
      await rotate(first, other);
      await expect(rotate(used)).resolves.toMatchObject({ outcome: 'rotated' });
      await expect(repo().find(first.id)).resolves.toMatchObject({ successorUsedId: used.id });
      const late = childOf(first);
      await expect(rotate(first, late)).resolves.toMatchObject({ outcome: 'reused', record: { grantId } });
      await expect(repo().find(late.id)).resolves.toBeUndefined();
      await expect(rotate(other)).resolves.toMatchObject({ outcome: 'reused' });
    });

    it('after the grace, or with no grace at all, a spent token is reuse', async () => {
      const first = token();
      await repo().save(first);
      await rotate(first, childOf(first), 1_000);
      await expect(rotate(first, childOf(first), 1_000 + GRACE_MS)).resolves.toMatchObject({
        outcome: 'reused',
      });
      const second = token();
      await repo().save(second);
      await rotate(second, childOf(second), 1_000, 0);
      await expect(rotate(second, childOf(second), 1_000, 0)).resolves.toMatchObject({ outcome: 'reused' });
    });

    it('of many concurrent rotations exactly one rotates; the rest get the grace, or are reuse without one', async () => {
      const graced = token();
      const strict = token();
      await repo().save(graced);
      await repo().save(strict);
      const race = (presented: RefreshTokenRecord, graceMs: number) =>
        Promise.all(
          Array.from({ length: 10 }, () => rotate(presented, childOf(presented), Date.now(), graceMs)),
        );
      expect(outcomes(await race(graced, GRACE_MS))).toEqual(
        ['grace', ...Array(8).fill('grace'), 'rotated'].sort(),
      );
      expect(outcomes(await race(strict, 0))).toEqual([...Array(9).fill('reused'), 'rotated'].sort());
    });

    it('forgets expired tokens', async () => {
      const saved = token({ expiresAt: Date.now() + SHORT_TTL_MS });
      await repo().save(saved);
      await sleep(SHORT_TTL_MS + 40);
      await expect(repo().find(saved.id)).resolves.toBeUndefined();
      await expect(rotate(saved)).resolves.toEqual({ outcome: 'not_found' });
    });
  });
}
