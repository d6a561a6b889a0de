import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { TEST_KEYS_ENCRYPTION_KEY } from '../apps/authz/test/support/authz-harness';
import { callTool, InstanceTokenEndpoint } from './support/cluster-calls';
import { buildIfStale, clusterPlan, ProcessCluster, type ClusterPorts } from './support/cluster';
import { startEchoMcpServer, type EchoMcpServer } from './support/echo-mcp-server';
import { GatewayOAuthClient, type TokenSet } from './support/gateway-oauth';
import { reservePort } from './support/ports';

/** README "How fast a revocation takes effect": the bound while the push channel (here Redis pub/sub) is up. */
const PUSH_BOUND_MS = 250;
/** The load while an mcp instance dies: 5 s (the 20 s would add 15 s of CI time and prove nothing more). */
const LOAD_MS = 5_000;
const KILL_AFTER_MS = 2_000;
const LOAD_WORKERS = 6;
const REDIRECT = 'http://127.0.0.1:41791/callback';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The cluster `npm run start:cluster` runs (scripts/cluster-plan.js: two authz, two mcp, the gateway, compiled, one
 * process each) on ephemeral ports around a real redis-server with AOF. Proven elsewhere and not repeated here:
 * the store contracts on Redis (libs/oauth-store), Redis-down 503 per endpoint and its recovery
 * (apps/authz/test/redis-store.e2e-spec.ts), key rotation across instances (apps/authz/test/signing-keys.e2e-spec.ts),
 * pool routing, readiness and session affinity (apps/gateway/test/upstream-pools.e2e-spec.ts).
 */
describe('a cluster: two authz and two mcp instances behind the gateway, sharing Redis', () => {
  let redis: RedisServerHandle;
  let echo: EchoMcpServer;
  let cluster: ProcessCluster;
  let ports: ClusterPorts;
  let base: string;
  let oauth: GatewayOAuthClient;
  /** A client talking to the authz instances directly, all under authz-1's host name (so one issuer). */
  let direct: GatewayOAuthClient;
  let authz: string[];
  let mcp: string[];
  const dataDir = mkdtempSync(join(tmpdir(), 'cluster-'));

  let endpoint: InstanceTokenEndpoint;
  const redeemAt = async (instance: string): Promise<TokenSet> => {
    const { code, verifier } = await direct.authorize();
    const response = await endpoint.redeem(instance, code, verifier);
    expect(response.status).toBe(200);
    return (await response.json()) as TokenSet;
  };
  /** `add` on the bundled server, through the gateway or at one mcp instance; checks the sum when answered. */
  const callAdd = async (token: string, id: number, url = `${base}/mcp`): Promise<number> => {
    const add = { name: 'add', arguments: { a: id, b: 1 } };
    const { status, text } = await callTool(url, new URL(base).host, token, add, id);
    if (status === 200 && !text.includes(`"text":"${id + 1}"`)) throw new Error(`wrong answer: ${text}`);
    return status;
  };
  /** `echo` at /echo/mcp, a server without authentication of its own: only the gateway checks the token. */
  const callEcho = async (token: string, id: number): Promise<number> => {
    const echoed = { name: 'echo', arguments: { text: `${id}` } };
    const { status, text } = await callTool(`${base}/echo/mcp`, new URL(base).host, token, echoed, id);
    if (status === 200 && !text.includes(`echo: ${id}`)) throw new Error(`wrong answer: ${text}`);
    return status;
  };

  beforeAll(async () => {
    buildIfStale();
    redis = await startRedisServer({ appendOnly: true });
    echo = await startEchoMcpServer();
    const resourcesFile = join(dataDir, 'resources.yaml');
    writeFileSync(
      resourcesFile,
      `resources:\n  - path: /mcp\n  - path: /echo/mcp\n    upstream: ${echo.url}\n`,
    );
    ports = {
      gateway: await reservePort(),
      gatewayAdmin: await reservePort(),
      authz: [await reservePort(), await reservePort()],
      mcp: [await reservePort(), await reservePort()],
    };
    const plan = clusterPlan({
      storeUrl: redis.url,
      keysEncryptionKey: TEST_KEYS_ENCRYPTION_KEY,
      ports,
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        AUTHZ_DATA_DIR: dataDir,
        GATEWAY_RESOURCES_FILE: resourcesFile,
        AUTHZ_RATE_LIMIT_MAX: '1000',
        MCP_TOOL_RATE_LIMIT: '100000',
      },
    });
    cluster = new ProcessCluster(plan);
    await cluster.start();
    base = `http://localhost:${ports.gateway}`;
    authz = ports.authz.map((port) => `http://127.0.0.1:${port}`);
    mcp = ports.mcp.map((port) => `http://127.0.0.1:${port}/mcp`);
    oauth = await GatewayOAuthClient.register(base, REDIRECT);
    direct = await GatewayOAuthClient.register(authz[0], REDIRECT);
    endpoint = new InstanceTokenEndpoint(new URL(authz[0]).host, direct.client);
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
    await redis?.close();
    await echo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('redeems a code authorized on one authz instance at the other; replayed at the first, it fails and revokes', async () => {
    const { code, verifier } = await direct.authorize();
    const redeemed = await endpoint.redeem(authz[1], code, verifier);
    expect(redeemed.status).toBe(200);
    const tokens = (await redeemed.json()) as TokenSet;

    const replayed = await endpoint.redeem(authz[0], code, verifier);
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_grant' });
    // RFC 6749 §4.1.2: what the code gave is revoked too, on every instance.
    const refreshed = await endpoint.refresh(authz[1], tokens.refresh_token);
    expect(refreshed.status).toBe(400);
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('spends a code raced from two instances exactly once: one redemption wins, the other is a replay', async () => {
    const outcomes: string[][] = [];
    const winners: TokenSet[] = [];
    for (let round = 0; round < 5; round++) {
      const { code, verifier } = await direct.authorize();
      const answers = await Promise.all(authz.map((instance) => endpoint.redeem(instance, code, verifier)));
      const bodies = await Promise.all(
        answers.map((answer) => answer.json() as Promise<Record<string, string>>),
      );
      outcomes.push(
        bodies.map((body, i) => (answers[i].status === 200 ? 'tokens' : body.error_description)).sort(),
      );
      winners.push(
        ...bodies.filter((_, i) => answers[i].status === 200).map((body) => body as unknown as TokenSet),
      );
    }
    // Exactly one redemption spends the code (the atomic consume in Redis); the other is refused as a replay,
    // which revokes the grant (RFC 6749 §4.1.2): when that lands before the winner has issued, the winner is
    // refused too rather than handed tokens of a revoked grant. Never two sets of tokens.
    const replay = 'The authorization code has already been used.';
    for (const [loser, winner] of outcomes) {
      expect(loser).toBe(replay);
      expect(winner).toMatch(/^tokens$|has been revoked/);
    }
    for (const tokens of winners)
      expect((await endpoint.refresh(authz[1], tokens.refresh_token)).status).toBe(400);
  });

  it('rotates refresh tokens across instances and detects a reuse on either (RFC 9700 §4.14.2)', async () => {
    const first = await redeemAt(authz[0]);
    const second = await endpoint.refresh(authz[1], first.refresh_token);
    expect(second.status).toBe(200);
    const third = await endpoint.refresh(authz[0], ((await second.json()) as TokenSet).refresh_token);
    expect(third.status).toBe(200);
    const latest = (await third.json()) as TokenSet;

    // The first token's successor was used: presenting it again is a reuse, and the whole grant goes.
    const reused = await endpoint.refresh(authz[1], first.refresh_token);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    const afterReuse = await endpoint.refresh(authz[0], latest.refresh_token);
    expect(afterReuse.status).toBe(400);
  });

  it(`refuses tokens revoked on one authz instance at every mcp instance and the gateway within ${PUSH_BOUND_MS} ms`, async () => {
    // One grant for the bundled server (each mcp instance checks it), one for /echo/mcp (only the gateway does).
    const bundled = (await oauth.tokens()).access_token;
    const echoed = (await oauth.tokens({ resource: `${base}/echo/mcp` })).access_token;
    const probes: [string, () => Promise<number>][] = [
      ...mcp.map((url, i): [string, () => Promise<number>] => [bundled, () => callAdd(bundled, i, url)]),
      [echoed, () => callEcho(echoed, 9)],
    ];
    for (const [, probe] of probes) expect(await probe()).toBe(200);

    const revoke = async (token: string) => {
      const response = await fetch(`${authz[1]}/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: oauth.client.clientId }).toString(),
      });
      expect(response.status).toBe(200);
      return performance.now();
    };
    const answered = new Map(
      await Promise.all([bundled, echoed].map(async (t) => [t, await revoke(t)] as const)),
    );
    const refusedAfter = await Promise.all(
      probes.map(async ([token, probe]) => {
        const since = answered.get(token)!;
        for (;;) {
          const status = await probe();
          if (status === 401) return performance.now() - since;
          expect(status).toBe(200);
          if (performance.now() - since > PUSH_BOUND_MS)
            throw new Error(`still accepted after ${PUSH_BOUND_MS} ms`);
          await sleep(2);
        }
      }),
    );
    for (const ms of refusedAfter) expect(ms).toBeLessThan(PUSH_BOUND_MS);
  });

  it(`keeps answering through the other mcp instance when one dies under ${LOAD_MS / 1000} s of tools/call; only calls in flight on it get 502`, async () => {
    const token = (await oauth.tokens()).access_token;
    const calls: { sent: number; done: number; status: number }[] = [];
    const started = Date.now();
    let killSent = Infinity;
    let killed = Infinity;
    const worker = async (offset: number) => {
      for (let i = offset; Date.now() - started < LOAD_MS; i += LOAD_WORKERS) {
        const sent = Date.now();
        const status = await callAdd(token, i);
        calls.push({ sent, done: Date.now(), status });
      }
    };
    const kill = async () => {
      await sleep(KILL_AFTER_MS);
      killSent = Date.now();
      await cluster.kill('mcp-1');
      killed = Date.now();
    };
    await Promise.all([kill(), ...Array.from({ length: LOAD_WORKERS }, (_, offset) => worker(offset))]);

    const failed = calls.filter((call) => call.status !== 200);
    // Every failure is a 502 of a call the dead instance had taken: sent before it was gone, answered after it
    // was killed. Calls sent after it was gone all went to the other instance.
    const unexpected = failed.filter(
      (call) => call.status !== 502 || call.sent > killed || call.done < killSent,
    );
    expect(unexpected).toEqual([]);
    expect(failed.length).toBeLessThanOrEqual(LOAD_WORKERS);
    expect(calls.filter((call) => call.sent < killSent && call.status === 200).length).toBeGreaterThan(20);
    expect(calls.filter((call) => call.sent > killed && call.status === 200).length).toBeGreaterThan(20);
  });

  it('keeps clients, consents, refresh tokens and signing keys when everything restarts, Redis (AOF) included', async () => {
    const tokens = await oauth.tokens();
    const jwks = async () => (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as unknown;
    const keysBefore = await jwks();

    // Redis down: authz answers an OAuth error with Retry-After (per endpoint in redis-store.e2e-spec.ts), and
    // recovers by itself once Redis is back.
    const bogusRefresh = () => endpoint.refresh(authz[0], 'not-a-refresh-token');
    await redis.stop();
    const down = await bogusRefresh();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
    });
    await redis.start();
    let recovered = 503;
    for (let attempt = 0; attempt < 50 && recovered === 503; attempt++) {
      await sleep(100);
      recovered = (await bogusRefresh()).status;
    }
    expect(recovered).toBe(400); // invalid_grant: the store answers again

    // Every app stops promptly (drained, exit 0) even while Redis is down, then everything starts again.
    await redis.stop();
    const stopping = Date.now();
    await cluster.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(cluster.lines.filter((line) => /did not complete|exited with code [1-9]/.test(line))).toEqual([]);
    await redis.start();
    await cluster.start();

    expect(await jwks()).toEqual(keysBefore);
    expect(await callAdd(tokens.access_token, 1)).toBe(200); // issued before: the same keys verify it
    const refreshed = await oauth.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(await callAdd(((await refreshed.json()) as TokenSet).access_token, 2)).toBe(200);
    // The registered client is known, and its consent remembered.
    const again = await oauth.authorize();
    expect(again.consentText).toContain('You approved this client before.');
  }, 120_000);
});
