import type { UpstreamLoginRecord } from '../records';
import type { UpstreamLoginRepository, UpstreamTokenRepository } from '../repositories';
import {
  itConsumesOnce,
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

    itConsumesOnce('sign-in', repo, login);
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
