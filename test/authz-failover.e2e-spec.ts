import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { RevocationFeed } from '@app/resource-server';
import { createAuthzApp } from '../apps/authz/src/authz.app';
import { loadAuthzConfig } from '../apps/authz/src/config/authz.config';
import { GrantStatusFrontDoor } from '../apps/authz/src/internal/grant-status.front-door';
import { rotateSigningKeys } from '../apps/authz/src/keys/key-rotation';
import { TokenRevocationService } from '../apps/authz/src/revocation/token-revocation.service';
import { TEST_KEYS_ENCRYPTION_KEY } from '../apps/authz/test/support/authz-harness';
import { createGatewayApp } from '../apps/gateway/src/gateway.app';
import { createMcpApp } from '../apps/mcp/src/mcp.app';
import { GatewayOAuthClient, initializeMcp, refusedAfter } from './support/gateway-oauth';
import { reservePort } from './support/ports';

/** README "Revocation": the bound while the push channel is up. */
const PUSH_BOUND_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
}

/**
 * Two authz instances sharing Redis, and an mcp WITHOUT Redis of its own (AUTHZ_INTERNAL_URL lists both
 * instances): its JWKS, grant status and revocation stream fail over from one instance to the other, and each
 * instance's stream carries the other's revocations (relayed through the Redis channel).
 */
describe('a resource server fails over across authz instances (AUTHZ_INTERNAL_URL list, internal streams)', () => {
  let redis: RedisServerHandle;
  const dataDir = mkdtempSync(join(tmpdir(), 'authz-failover-'));
  const apps: INestApplication[] = [];
  let authz: INestApplication[];
  let mcp: INestApplication;
  let oauth: GatewayOAuthClient;
  let mcpUrl: string;
  let authzEnv: Record<string, string>;
  let authzUrls: string[];

  const status = async (token: string) => {
    const response = await initializeMcp(mcpUrl, token);
    await response.arrayBuffer();
    return response.status;
  };
  const grantOf = (token: string) => decodeJwt(token).grant_id as string;
  const grantCalls = (instance: INestApplication) => jest.spyOn(instance.get(GrantStatusFrontDoor), 'handle');

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true }); // a stop loses nothing
    const gatewayPort = await reservePort();
    const common = { NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: `http://localhost:${gatewayPort}` };
    authzEnv = {
      ...common,
      AUTHZ_DATA_DIR: dataDir,
      STORE_URL: redis.url,
      AUTHZ_KEYS_ENCRYPTION_KEY: TEST_KEYS_ENCRYPTION_KEY,
    };
    authz = await Promise.all([createAuthzApp(authzEnv), createAuthzApp(authzEnv)]).then((created) =>
      created.map(({ app }) => app),
    );
    authzUrls = await Promise.all(authz.map(listen));
    mcp = (await createMcpApp({ ...common, MCP_STATELESS: 'true', AUTHZ_INTERNAL_URL: authzUrls.join(',') }))
      .app;
    const mcpUpstream = await listen(mcp);
    const gateway = (
      await createGatewayApp({
        ...common,
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_HOST: '127.0.0.1',
        AUTHZ_UPSTREAM_URL: authzUrls.join(','),
        MCP_UPSTREAM_URL: mcpUpstream,
      })
    ).app;
    await gateway.listen(gatewayPort, '127.0.0.1');
    apps.push(gateway, mcp, ...authz);
    const base = `http://localhost:${gatewayPort}`;
    mcpUrl = `${base}/mcp`;
    oauth = await GatewayOAuthClient.register(base, 'http://127.0.0.1:41790/callback');
    await until(() => mcp.get(RevocationFeed).up);
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await redis.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hears a revocation made on the other instance on its stream, within the bound', async () => {
    const tokens = await oauth.tokens();
    expect(await status(tokens.access_token)).toBe(200);
    // mcp's stream is on the first instance; the revocation happens on the second.
    const asked = [grantCalls(authz[0]), grantCalls(authz[1])];
    await authz[1].get(TokenRevocationService).revokeGrant(grantOf(tokens.access_token));
    expect(await refusedAfter(mcpUrl, tokens.access_token, PUSH_BOUND_MS)).toBeLessThan(PUSH_BOUND_MS);
    expect(asked.map((spy) => spy.mock.calls.length)).toEqual([0, 0]); // pushed, never asked
    asked.forEach((spy) => spy.mockRestore());
  });

  it('ends its streams and refuses new ones while it does not hear the Redis channel, and offers them again after', async () => {
    const feed = mcp.get(RevocationFeed);
    await redis.stop();
    try {
      // Revocations of the other instance would be missed: the stream ends and mcp falls back.
      await until(() => !feed.up);
      const refused = await fetch(`${authzUrls[1]}/internal/revocations`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await redis.start();
    }
    await until(() => feed.up, 10_000);
    const tokens = await oauth.tokens();
    expect(await status(tokens.access_token)).toBe(200);
  });

  it('keeps verifying tokens and hearing revocations when the first instance is gone, rotation included', async () => {
    const before = await oauth.tokens();
    expect(await status(before.access_token)).toBe(200);
    await authz[0].close();
    // The stream moves to the remaining instance (a new epoch: mcp resyncs).
    await until(() => mcp.get(RevocationFeed).up, 5_000);

    expect(await status(before.access_token)).toBe(200);
    const after = await oauth.tokens(); // the gateway's pool skips the dead instance
    expect(await status(after.access_token)).toBe(200); // a grant mcp never saw: asked of the live instance

    // A key mcp never saw: its JWKS comes from the live instance.
    const rotated = await rotateSigningKeys(loadAuthzConfig(authzEnv));
    let fresh = after;
    for (let i = 0; i < 100 && decodeProtectedHeader(fresh.access_token).kid !== rotated.active; i++) {
      await sleep(20);
      fresh = await oauth.tokens();
    }
    expect(decodeProtectedHeader(fresh.access_token).kid).toBe(rotated.active);
    expect(await status(fresh.access_token)).toBe(200);

    await authz[1].get(TokenRevocationService).revokeGrant(grantOf(fresh.access_token));
    expect(await refusedAfter(mcpUrl, fresh.access_token, PUSH_BOUND_MS)).toBeLessThan(PUSH_BOUND_MS);
    expect(await status(before.access_token)).toBe(200);
  });
});
