import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { REVOCATION_CHANNEL } from '@app/resource-server';
import { bearer, rpc, startEnforcingGateway, type EnforcingGateway } from './support/enforcing-gateway';
import { startMcpUpstream } from './support/mcp-upstream';
import type { TestUpstream } from './support/test-upstream';

/** Cluster mode: with STORE_URL the gateway takes revocations from authz's Redis pub/sub channel (a real redis-server). */
describe('gateway revocation over Redis pub/sub (STORE_URL)', () => {
  let redis: RedisServerHandle;
  let publisher: Redis;
  let echo: TestUpstream;
  let gw: EnforcingGateway;

  beforeAll(async () => {
    redis = await startRedisServer();
    publisher = new Redis(redis.url);
    echo = await startMcpUpstream('echo');
    gw = await startEnforcingGateway([{ path: '/echo/mcp', upstream: `${echo.url}/mcp` }], {
      STORE_URL: redis.url,
    });
  }, 30_000);
  afterAll(async () => {
    await gw?.close();
    publisher?.disconnect();
    await echo?.stop();
    await redis?.stop();
  });

  it('refuses a token once its grant’s revocation is published, with no call to authz per request', async () => {
    const token = await gw.authz.token({ base: gw.base, aud: `${gw.base}/echo/mcp`, grantId: 'grant-redis' });
    const call = () => rpc(`${gw.base}/echo/mcp`, { jsonrpc: '2.0', id: 1, method: 'ping' }, bearer(token));
    // The subscription is live once a publish reaches a subscriber.
    for (let i = 0; i < 100 && (await publisher.publish(REVOCATION_CHANNEL, '{"type":"noop"}')) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await call()).status).toBe(200);
    const asked = gw.authz.grantStatusCalls;
    for (let i = 0; i < 5; i++) expect((await call()).status).toBe(200);
    expect(gw.authz.grantStatusCalls).toBe(asked);
    // authz itself still calls the grant active: only the Redis message can revoke it here.
    await publisher.publish(
      REVOCATION_CHANNEL,
      JSON.stringify({ type: 'grant-revoked', grant_id: 'grant-redis' }),
    );
    const started = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - started < 1000) status = (await call()).status;
    expect(status).toBe(401);
  });
});
