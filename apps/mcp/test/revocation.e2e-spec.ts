import { RevocationFeed } from '@app/resource-server';
import { INITIALIZE, postMcp, startHarness, type Harness } from './support/mcp-harness';

/** README "Revocation": while the push channel is up a revocation reaches mcp within this. */
const PUSH_BOUND_MS = 250;
const FALLBACK_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

function helpers(harness: () => Harness) {
  const status = async (token: string) =>
    (await postMcp(harness().base, INITIALIZE, { Authorization: `Bearer ${token}` })).status;
  return {
    status,
    feed: () => harness().app.get(RevocationFeed),
    token: (grantId: string) => harness().authz.token({ base: harness().base, grantId }),
    /** Polls until the token is refused; the time it took, from the call. */
    async refusedAfter(token: string, limitMs: number): Promise<number> {
      const started = performance.now();
      while ((await status(token)) === 200) {
        if (performance.now() - started > limitMs) throw new Error(`still accepted after ${limitMs} ms`);
        await sleep(2);
      }
      expect(await status(token)).toBe(401);
      return performance.now() - started;
    },
  };
}

describe('mcp: revocations pushed by authz, with a per-request fallback', () => {
  let harness: Harness;
  const { status, feed, token, refusedAfter } = helpers(() => harness);

  beforeAll(async () => {
    harness = await startHarness({ MCP_STATELESS: 'true', MCP_REVOCATION_FALLBACK_MS: String(FALLBACK_MS) });
    await until(() => feed().up);
  });
  afterAll(() => harness?.close());

  it('asks authz about a grant once, then serves every request from its caches while the channel is up', async () => {
    const first = await token('grant-hot');
    const calls = harness.authz.grantStatusCalls;
    expect(await status(first)).toBe(200);
    const jwksFetches = harness.authz.jwksFetches;
    for (let i = 0; i < 20; i++) expect(await status(first)).toBe(200);
    // Another token of the same grant: verified once, but the grant is known already.
    expect(await status(await token('grant-hot'))).toBe(200);
    expect(harness.authz.grantStatusCalls - calls).toBe(1);
    expect(harness.authz.jwksFetches).toBe(jwksFetches);
  });

  it(`refuses a revoked grant within ${PUSH_BOUND_MS} ms of the push, without asking authz`, async () => {
    const revoked = await token('grant-pushed');
    expect(await status(revoked)).toBe(200);
    const calls = harness.authz.grantStatusCalls;
    harness.authz.revoke('grant-pushed');
    expect(await refusedAfter(revoked, PUSH_BOUND_MS)).toBeLessThan(PUSH_BOUND_MS);
    expect(harness.authz.grantStatusCalls).toBe(calls);
  });

  it(`asks per request, trusting an answer for ${FALLBACK_MS} ms at most, while the channel is down`, async () => {
    const revoked = await token('grant-fallback');
    const other = await token('grant-fallback-other');
    expect(await status(revoked)).toBe(200);
    harness.authz.streamRefused = true;
    harness.authz.cutStreams();
    try {
      await until(() => !feed().up);
      // Revoked in authz, but nothing is pushed: only asking again can tell.
      harness.authz.grants.set('grant-fallback', 'revoked');
      expect(await refusedAfter(revoked, FALLBACK_MS + PUSH_BOUND_MS)).toBeLessThan(
        FALLBACK_MS + PUSH_BOUND_MS,
      );
      // Still no call per request: one answer serves a burst.
      const calls = harness.authz.grantStatusCalls;
      for (let i = 0; i < 10; i++) expect(await status(other)).toBe(200);
      expect(harness.authz.grantStatusCalls - calls).toBeLessThanOrEqual(2);
    } finally {
      harness.authz.streamRefused = false;
    }
    await until(() => feed().up);
  });
});

describe('mcp: an authz restart or a dead stream never leaves stale grants trusted', () => {
  let harness: Harness;
  const { status, feed, token, refusedAfter } = helpers(() => harness);

  beforeAll(async () => {
    // A fallback this long would hide nothing: only a resync of the channel can refuse these tokens quickly.
    harness = await startHarness({ MCP_STATELESS: 'true', MCP_REVOCATION_FALLBACK_MS: '60000' });
    await until(() => feed().up);
  });
  afterAll(() => harness?.close());

  it('flushes its grant cache when authz comes back with a new epoch: a lost store resurrects nothing', async () => {
    const before = await token('grant-before-restart');
    expect(await status(before)).toBe(200);
    harness.authz.restartWithLostStore();
    expect(await refusedAfter(before, 3000)).toBeLessThan(3000);
    const response = await postMcp(harness.base, INITIALIZE, { Authorization: `Bearer ${before}` });
    expect(response.headers.get('www-authenticate')).toContain('does not know the grant');
    expect(feed().up).toBe(true);
  });

  it('drops a stream that falls silent for three heartbeats and resyncs on a fresh one', async () => {
    harness.authz.heartbeatMs = 100;
    harness.authz.cutStreams();
    await until(() => feed().up);
    const missed = await token('grant-missed');
    expect(await status(missed)).toBe(200);
    harness.authz.silent = true;
    // The revocation is lost with the half-open stream...
    harness.authz.grants.set('grant-missed', 'revoked');
    harness.authz.streams.clear();
    try {
      await until(() => !feed().up, 1000);
      // ...and the reconnect flushes what the dead stream vouched for.
      expect(await refusedAfter(missed, 3000)).toBeLessThan(3000);
    } finally {
      harness.authz.silent = false;
    }
  });
});
