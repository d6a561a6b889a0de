import { Redis } from 'ioredis';
import { RevocationFeed } from '@app/resource-server';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { GrantStatusFrontDoor } from '../apps/authz/src/internal/grant-status.front-door';
import { GatewayOAuthClient, initializeMcp, refusedAfter, type TokenSet } from './support/gateway-oauth';
import { startStack, type Stack } from './support/stack';

/**
 * README "Revocation": while the push channel is up, a revocation reaches every resource server within this
 * (it is pushed as it happens; on one host it takes a few milliseconds).
 */
const PUSH_BOUND_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

async function status(stack: Stack, token: string): Promise<number> {
  const response = await initializeMcp(stack.mcpUrl(), token);
  await response.arrayBuffer();
  return response.status;
}

/** Counts the grant-status calls authz answers (the per-request check mcp makes only without a channel). */
function countGrantStatusCalls(stack: Stack): { readonly calls: number; restore(): void } {
  const spy = jest.spyOn(stack.authzApp().get(GrantStatusFrontDoor), 'handle');
  return {
    get calls() {
      return spy.mock.calls.length;
    },
    restore: () => spy.mockRestore(),
  };
}

/**
 * Hardening #1 and the scale-out rule, through the gateway with real authz, mcp and (cluster mode) Redis: a
 * token revoked in any of the three ways (/revoke, refresh-token reuse, code replay) is refused by mcp within
 * the push bound, without mcp calling authz per request, and stays refused after authz and mcp restart.
 */
describe('revocation through the gateway (default SQLite store, internal stream)', () => {
  let stack: Stack;
  let oauth: GatewayOAuthClient;

  beforeAll(async () => {
    stack = await startStack({
      // No reuse grace: the second use of a rotated refresh token is a reuse at once.
      authz: { AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '0' },
      mcp: { MCP_STATELESS: 'true' },
    });
    oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41777/callback');
    await until(() => stack.mcpApp().get(RevocationFeed).up);
  });
  afterAll(() => stack?.stop());

  it('refuses tokens revoked in each of the three ways within the bound, and still after authz and mcp restart', async () => {
    const viaRevoke = await oauth.tokens();
    const viaReuse = await oauth.tokens();
    const replayed = await oauth.authorize();
    const viaReplay = (await (await oauth.redeem(replayed.code, replayed.verifier)).json()) as TokenSet;
    const kept = await oauth.tokens();
    for (const tokens of [viaRevoke, viaReuse, viaReplay, kept]) {
      expect(await status(stack, tokens.access_token)).toBe(200);
    }
    const grantCalls = countGrantStatusCalls(stack);
    const refused: string[] = [];
    try {
      // 1. RFC 7009 revocation of the refresh token.
      expect((await oauth.revoke(viaRevoke.refresh_token)).status).toBe(200);
      expect(await refusedAfter(stack.mcpUrl(), viaRevoke.access_token, PUSH_BOUND_MS)).toBeLessThan(
        PUSH_BOUND_MS,
      );
      refused.push(viaRevoke.access_token);

      // 2. RFC 9700 §4.14.2: a rotated refresh token used again revokes the grant, new tokens included.
      const rotated = (await (await oauth.refresh(viaReuse.refresh_token)).json()) as TokenSet;
      expect(await status(stack, rotated.access_token)).toBe(200);
      expect((await oauth.refresh(viaReuse.refresh_token)).status).toBe(400);
      for (const token of [viaReuse.access_token, rotated.access_token]) {
        expect(await refusedAfter(stack.mcpUrl(), token, PUSH_BOUND_MS)).toBeLessThan(PUSH_BOUND_MS);
        refused.push(token);
      }

      // 3. RFC 6749 §4.1.2: a code redeemed twice revokes what it issued.
      expect((await oauth.redeem(replayed.code, replayed.verifier)).status).toBe(400);
      expect(await refusedAfter(stack.mcpUrl(), viaReplay.access_token, PUSH_BOUND_MS)).toBeLessThan(
        PUSH_BOUND_MS,
      );
      refused.push(viaReplay.access_token);

      // Pushed: every grant was known before (the rotated token's too), and nothing was asked per request.
      expect(grantCalls.calls).toBe(0);
    } finally {
      grantCalls.restore();
    }
    expect(await status(stack, kept.access_token)).toBe(200);

    await stack.restartAuthz();
    await stack.restartMcp();

    for (const token of refused) expect(await status(stack, token)).toBe(401);
    // The store kept the client, its grant, its refresh token and the user's consent.
    expect(await status(stack, kept.access_token)).toBe(200);
    const refreshed = await oauth.refresh(kept.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(await status(stack, ((await refreshed.json()) as TokenSet).access_token)).toBe(200);
    const again = await oauth.authorize();
    expect(again.consentText).toContain('You approved this client before.');
    expect((await oauth.redeem(again.code, again.verifier)).status).toBe(200);
  });

  it('never routes the internal endpoints through the gateway', async () => {
    for (const path of ['/internal/revocations', '/internal/grants/some-grant']) {
      const response = await fetch(`${stack.baseUrl()}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).not.toMatch(/event-stream/);
      await response.arrayBuffer();
    }
  });
});

describe('revocation with the store in memory: an authz restart loses it, and mcp fails closed', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ authz: { AUTHZ_STORE: 'memory' }, mcp: { MCP_STATELESS: 'true' } });
  });
  afterAll(() => stack?.stop());

  it('refuses every token issued before the restart: its grant is unknown now', async () => {
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41778/callback');
    const tokens = await oauth.tokens();
    expect(await status(stack, tokens.access_token)).toBe(200);
    await stack.restartAuthz();
    // mcp keeps running with its caches: the stream's new epoch flushes them, and authz no longer knows the grant.
    await refusedAfter(stack.mcpUrl(), tokens.access_token, 3000);
    const response = await initializeMcp(stack.mcpUrl(), tokens.access_token);
    expect(response.headers.get('www-authenticate')).toContain('does not know the grant');
  });
});

describe('revocation in cluster mode (STORE_URL: Redis store and Redis pub/sub)', () => {
  let redis: RedisServerHandle;
  let stack: Stack;
  let oauth: GatewayOAuthClient;

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startStack({
      authz: { STORE_URL: redis.url, AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '0' },
      mcp: { STORE_URL: redis.url, MCP_STATELESS: 'true' },
    });
    oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41779/callback');
    await until(() => stack.mcpApp().get(RevocationFeed).up);
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
  });

  it(`refuses a revoked token within ${PUSH_BOUND_MS} ms through Redis pub/sub, without a call per request`, async () => {
    expect(stack.mcpApp().get(RevocationFeed).constructor.name).toBe('RedisRevocationFeed');
    const tokens = await oauth.tokens();
    expect(await status(stack, tokens.access_token)).toBe(200);
    const grantCalls = countGrantStatusCalls(stack);
    try {
      for (let i = 0; i < 10; i++) expect(await status(stack, tokens.access_token)).toBe(200);
      expect((await oauth.revoke(tokens.access_token)).status).toBe(200);
      expect(await refusedAfter(stack.mcpUrl(), tokens.access_token, PUSH_BOUND_MS)).toBeLessThan(
        PUSH_BOUND_MS,
      );
      expect(grantCalls.calls).toBe(0);
    } finally {
      grantCalls.restore();
    }
  });

  it('never trusts what it cached before its subscription dropped: a revocation it missed is still honoured', async () => {
    const tokens = await oauth.tokens();
    expect(await status(stack, tokens.access_token)).toBe(200);
    const admin = new Redis(redis.url);
    try {
      // Cut every subscriber; the revocation is published while mcp is not listening.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      expect((await oauth.revoke(tokens.refresh_token)).status).toBe(200);
    } finally {
      admin.disconnect();
    }
    expect(await refusedAfter(stack.mcpUrl(), tokens.access_token, 3000)).toBeLessThan(3000);
    await until(() => stack.mcpApp().get(RevocationFeed).up);
  });
});
