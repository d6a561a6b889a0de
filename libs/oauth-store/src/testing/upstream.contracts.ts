import type { UpstreamLoginRecord } from '../records';
import type { UpstreamLoginRepository, UpstreamTokenRepository } from '../repositories';
import {
  later,
  SHORT_TTL_MS,
  sleep,
  uniqueId,
  withRepository,
  type RepositoryFactory,
} from './contract-helpers';

/* Backend-neutral behaviour of the federation records (upstream sign-ins in flight, kept provider tokens). */

export function describeUpstreamLoginRepositoryContract(
  name: string,
  factory: RepositoryFactory<UpstreamLoginRepository>,
) {
  describe(`UpstreamLoginRepository contract (${name})`, () => {
    const repo = withRepository(factory);
    const login = (overrides: Partial<UpstreamLoginRecord> = {}): UpstreamLoginRecord => ({
      id: uniqueId('state-hash'),
      interactionId: uniqueId('interaction'),
      provider: 'corp',
      nonce: 'n-0S6_WzA2Mj',
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      redirectUri: 'http://localhost:3002/login/callback/corp',
      browserBinding: 'binding-hash',
      expiresAt: later(),
      ...overrides,
    });

    it('consumes a sign-in once, then reports the replay as already consumed', async () => {
      const saved = login();
      await repo().save(saved);
      await expect(repo().consume(saved.id)).resolves.toEqual({ outcome: 'consumed', record: saved });
      await expect(repo().consume(saved.id)).resolves.toEqual({ outcome: 'already_consumed', record: saved });
    });

    it('lets exactly one of many concurrent callbacks win', async () => {
      const saved = login();
      await repo().save(saved);
      const results = await Promise.all(Array.from({ length: 10 }, () => repo().consume(saved.id)));
      expect(results.filter((result) => result.outcome === 'consumed')).toHaveLength(1);
    });

    it('reports unknown and expired sign-ins as not found', async () => {
      const saved = login({ expiresAt: Date.now() + SHORT_TTL_MS });
      await repo().save(saved);
      await expect(repo().consume(uniqueId('missing'))).resolves.toEqual({ outcome: 'not_found' });
      await sleep(SHORT_TTL_MS + 40);
      await expect(repo().consume(saved.id)).resolves.toEqual({ outcome: 'not_found' });
    });
  });
}

export function describeUpstreamTokenRepositoryContract(
  name: string,
  factory: RepositoryFactory<UpstreamTokenRepository>,
) {
  describe(`UpstreamTokenRepository contract (${name})`, () => {
    const repo = withRepository(factory);

    it('keeps one token per grant, the latest winning', async () => {
      const grantId = uniqueId('grant');
      await repo().save({ grantId, provider: 'corp', refreshToken: 'first', expiresAt: later() });
      await repo().save({ grantId, provider: 'corp', refreshToken: 'second', expiresAt: later() });
      await expect(repo().find(grantId)).resolves.toMatchObject({ refreshToken: 'second' });
      await expect(repo().find(uniqueId('grant'))).resolves.toBeUndefined();
    });

    it('forgets a token at its expiry', async () => {
      const grantId = uniqueId('grant');
      await repo().save({
        grantId,
        provider: 'corp',
        refreshToken: 'x',
        expiresAt: Date.now() + SHORT_TTL_MS,
      });
      await sleep(SHORT_TTL_MS + 40);
      await expect(repo().find(grantId)).resolves.toBeUndefined();
    });
  });
}
