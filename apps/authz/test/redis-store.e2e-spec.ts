import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { baseEnv, removeDir, startAuthz, tempDataDir, type RunningAuthz } from './support/authz-harness';
import { createState, expectStateKept } from './support/restart-scenario';
import { issueTokens, refresh, registerConfidentialClient, type TokenPair } from './support/token-client';

/** Every value in the Redis, whatever its type, to check that no usable token is stored. */
async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      if (type === 'hash') parts.push(key, ...Object.values(await redis.hgetall(key)));
      else if (type === 'string') parts.push(key, (await redis.get(key)) ?? '');
      else if (type === 'zset') parts.push(key, ...(await redis.zrange(key, '0', '-1')));
      else parts.push(key);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

describe('authz: Redis store (STORE_URL)', () => {
  let redis: RedisServerHandle;
  let dataDir: string;
  const running: RunningAuthz[] = [];
  const start = async (overrides: Record<string, string> = {}) => {
    const authz = await startAuthz(baseEnv(dataDir, { STORE_URL: redis.url, ...overrides }));
    running.push(authz);
    return authz;
  };
  beforeEach(async () => {
    redis = await startRedisServer({ appendOnly: true });
    dataDir = tempDataDir();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((authz) => authz.close()));
    await redis.close();
    removeDir(dataDir);
  });

  it('keeps clients, consents, refresh tokens and revocations when Redis (AOF) and authz both restart', async () => {
    const first = await start();
    const state = await createState(first);
    await first.close();
    running.splice(0);
    await redis.restart();

    const second = await start();
    await expectStateKept(second, state);
    const dump = await dumpRedis(redis.url);
    expect(dump).toContain(state.client.clientId);
    for (const secret of state.secrets) expect(dump).not.toContain(secret);
  });

  it('shares state and rate limits between instances, and one refresh token converges across them', async () => {
    const [a, b] = [await start({ AUTHZ_RATE_LIMIT_MAX: '40' }), await start({ AUTHZ_RATE_LIMIT_MAX: '40' })];
    const client = await registerConfidentialClient(a);
    const first = await issueTokens(a, client);
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => refresh(i % 2 ? a : b, client, first.refresh_token)),
    );
    expect(burst.map((response) => response.status)).toEqual(Array(6).fill(200));
    const pairs = burst.map((response) => response.body as TokenPair);
    await refresh(b, client, pairs[5].refresh_token).expect(200);
    // A sibling presented on the other instance is a reuse: the shared store revokes the grant for both.
    await refresh(a, client, pairs[0].refresh_token).expect(400);

    // One budget per client and endpoint for both instances: 40 /authorize requests in total (one was made
    // above, on a), although each instance alone sees only 25 of the 50 below.
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await (i % 2 ? a : b).http().get('/authorize')).status);
    expect(statuses.slice(0, 39)).not.toContain(429);
    expect(statuses.slice(39)).toEqual(Array(11).fill(429));
  });

  it('answers 503 temporarily_unavailable with Retry-After while Redis is down, and recovers by itself', async () => {
    const authz = await start();
    const client = await registerConfidentialClient(authz);
    const tokens = await issueTokens(authz, client);
    await redis.stop();

    for (const response of [
      await refresh(authz, client, tokens.refresh_token),
      await authz
        .http()
        .post('/register')
        .send({ redirect_uris: ['https://app.example/cb'] }),
      await authz.http().get('/internal/grants/any-grant'),
    ]) {
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.any(String),
      });
    }

    await redis.start();
    let recovered = 0;
    for (let attempt = 0; attempt < 50 && recovered !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = (await refresh(authz, client, tokens.refresh_token)).status;
    }
    expect(recovered).toBe(200);
  });
});
