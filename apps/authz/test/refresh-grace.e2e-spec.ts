import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { useAuthz, type RunningAuthz } from './support/authz-harness';
import {
  isActive,
  issueTokens,
  refresh,
  registerConfidentialClient,
  type ConfidentialClient,
  type TokenPair,
} from './support/token-client';

/*
 * Refresh rotation that real clients survive (RFC 9700 §4.14.2 with a grace): the same behaviour on every store,
 * since the rule is applied atomically by each backend.
 */
let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.close());

const STORES: [string, () => Record<string, string>][] = [
  ['memory', () => ({ AUTHZ_STORE: 'memory' })],
  ['sqlite', () => ({})],
  ['redis', () => ({ STORE_URL: redis.url })],
];

describe.each(STORES)('refresh rotation with a reuse grace (%s store)', (_store, storeEnv) => {
  describe('default grace (30 s)', () => {
    const authz = useAuthz(() => storeEnv());
    let client: ConfidentialClient;
    beforeAll(async () => {
      client = await registerConfidentialClient(authz);
    });
    const allActive = (tokens: string[]) =>
      Promise.all(tokens.map((token) => isActive(authz, client, token)));

    it('answers a reuse inside the grace with a working pair for the same grant', async () => {
      const first = await issueTokens(authz, client);
      const rotated = (await refresh(authz, client, first.refresh_token).expect(200)).body as TokenPair;
      const again = (await refresh(authz, client, first.refresh_token).expect(200)).body as TokenPair;
      expect(again.refresh_token).not.toBe(rotated.refresh_token);
      expect(await allActive([rotated.access_token, again.access_token])).toEqual([true, true]);
      const next = (await refresh(authz, client, again.refresh_token).expect(200)).body as TokenPair;
      // One grant: revoking it through the newest refresh token ends every access token issued on the way.
      await revokeGrant(authz, client, next.refresh_token);
      expect(
        await allActive([first.access_token, rotated.access_token, again.access_token, next.access_token]),
      ).toEqual([false, false, false, false]);
    });

    it('lets N parallel refreshes with one token all succeed, converging on one grant and one chain', async () => {
      const first = await issueTokens(authz, client);
      const burst = await Promise.all(
        Array.from({ length: 8 }, () => refresh(authz, client, first.refresh_token)),
      );
      expect(burst.map((response) => response.status)).toEqual(Array(8).fill(200));
      const pairs = burst.map((response) => response.body as TokenPair);
      expect(new Set(pairs.map((pair) => pair.refresh_token)).size).toBe(8);
      expect(await allActive(pairs.map((pair) => pair.access_token))).toEqual(Array(8).fill(true));
      // The client keeps the last answer it read; using it closes the others' chance.
      const kept = (await refresh(authz, client, pairs[7].refresh_token).expect(200)).body as TokenPair;
      const sibling = await refresh(authz, client, pairs[0].refresh_token).expect(400);
      expect(sibling.body.error).toBe('invalid_grant');
      expect(await allActive([...pairs.map((pair) => pair.access_token), kept.access_token])).toEqual(
        Array(9).fill(false),
      );
    });

    it('revokes the grant when a token is reused after its successor was used', async () => {
      const first = await issueTokens(authz, client);
      const rotated = (await refresh(authz, client, first.refresh_token).expect(200)).body as TokenPair;
      const next = (await refresh(authz, client, rotated.refresh_token).expect(200)).body as TokenPair;
      const reuse = await refresh(authz, client, first.refresh_token).expect(400);
      expect(reuse.body).toEqual({
        error: 'invalid_grant',
        error_description: 'The refresh token has already been used; the grant is revoked.',
      });
      expect(await allActive([first.access_token, rotated.access_token, next.access_token])).toEqual([
        false,
        false,
        false,
      ]);
      expect((await refresh(authz, client, next.refresh_token).expect(400)).body.error).toBe('invalid_grant');
    });
  });

  describe('a grace of 1 s, then none', () => {
    const graced = useAuthz(() => ({ ...storeEnv(), AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '1' }));
    const strict = useAuthz(() => ({ ...storeEnv(), AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '0' }));

    it('revokes the grant on a reuse once the grace has passed', async () => {
      const client = await registerConfidentialClient(graced);
      const first = await issueTokens(graced, client);
      const rotated = (await refresh(graced, client, first.refresh_token).expect(200)).body as TokenPair;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await refresh(graced, client, first.refresh_token).expect(400);
      expect(await isActive(graced, client, rotated.access_token)).toBe(false);
    });

    it('with AUTHZ_REFRESH_REUSE_GRACE_SECONDS=0, two parallel refreshes are a reuse: the grant is revoked', async () => {
      const client = await registerConfidentialClient(strict);
      const first = await issueTokens(strict, client);
      const both = await Promise.all([0, 1].map(() => refresh(strict, client, first.refresh_token)));
      // One request rotates, the other is a reuse; the revocation may land before the winner answers.
      expect(both.map((response) => response.status)).toContain(400);
      const issued = both
        .filter((response) => response.status === 200)
        .map((response) => response.body.access_token);
      for (const token of [first.access_token, ...issued])
        expect(await isActive(strict, client, token)).toBe(false);
    });
  });
});

async function revokeGrant(authz: RunningAuthz, client: ConfidentialClient, refreshToken: string) {
  await authz
    .http()
    .post('/revoke')
    .auth(client.clientId, client.secret)
    .type('form')
    .send({ token: refreshToken, token_type_hint: 'refresh_token' })
    .expect(200);
}
