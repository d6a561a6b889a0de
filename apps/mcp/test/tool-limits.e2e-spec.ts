import { createMcpApp } from '../src/mcp.app';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { FakeAuthz } from './support/fake-authz';
import { startHarness, type Harness } from './support/mcp-harness';
import { postModern } from './support/modern-request';

const callTool = (base: string, token: string, name: string, args: Record<string, unknown>) =>
  postModern(base, token, 'tools/call', { name, arguments: args });

const textOf = (reply: Awaited<ReturnType<typeof callTool>>) =>
  ((reply.message.result?.content as { text: string }[] | undefined) ?? [])[0]?.text ?? '';

// Redis and worker processes start here: more than Jest's 5 s default.
jest.setTimeout(30_000);

/** MCP server/tools, Security: "Servers MUST rate limit tool invocations". Per subject, whatever the client. */
describe('mcp tool-call limits', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      MCP_CONFORMANCE_FIXTURES: 'true',
      MCP_TOOL_RATE_LIMIT: '5',
      MCP_TOOL_RATE_WINDOW_MS: '60000',
      MCP_TOOL_MAX_CONCURRENT: '2',
    });
  });

  afterAll(() => harness?.close());

  const token = (sub: string, clientId = 'client') =>
    harness.authz.token({ base: harness.base, sub, clientId });

  it('answers calls past the rate with a tool error saying when to retry; other subjects are unaffected', async () => {
    const carol = await token('carol');
    for (let i = 0; i < 5; i++) {
      const reply = await callTool(harness.base, carol, 'add', { a: i, b: 1 });
      expect(reply.message.result).toMatchObject({ structuredContent: { sum: i + 1 } });
    }
    const limited = await callTool(harness.base, carol, 'add', { a: 1, b: 1 });
    expect(limited.status).toBe(200);
    expect(limited.message.result?.isError).toBe(true);
    expect(textOf(limited)).toMatch(/^Rate limited: at most 5 tool calls per 60 s; retry in \d+ s$/);
    // Another client of the same subject shares the budget: client ids are free to register.
    const otherClient = await callTool(harness.base, await token('carol', 'fresh-client'), 'add', {
      a: 1,
      b: 1,
    });
    expect(otherClient.message.result?.isError).toBe(true);
    // Another subject has its own.
    const dave = await callTool(harness.base, await token('dave'), 'add', { a: 2, b: 2 });
    expect(dave.message.result).toMatchObject({ structuredContent: { sum: 4 } });
  });

  it('refuses a call beyond the running ones a subject may have at once, and frees the slot when one ends', async () => {
    const erin = await token('erin');
    const slow = [
      callTool(harness.base, erin, 'test_slow_tool', { ms: 600 }),
      callTool(harness.base, erin, 'test_slow_tool', { ms: 600 }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 150));
    const third = await callTool(harness.base, erin, 'add', { a: 1, b: 1 });
    expect(third.message.result?.isError).toBe(true);
    expect(textOf(third)).toMatch(/at most 2 tool calls may run at once; retry in 1 s/);
    const frank = await callTool(harness.base, await token('frank'), 'add', { a: 1, b: 1 });
    expect(frank.message.result?.isError).toBeUndefined();
    for (const reply of await Promise.all(slow)) expect(textOf(reply)).toBe('Answered after 600 ms');
    const after = await callTool(harness.base, erin, 'add', { a: 1, b: 1 });
    expect(after.message.result).toMatchObject({ structuredContent: { sum: 2 } });
  });
});

/** With STORE_URL, every instance counts against one budget per subject (the counters live in Redis). */
describe('mcp tool-call limits shared through Redis', () => {
  let redis: RedisServerHandle;
  let authz: FakeAuthz;
  const apps: INestApplication[] = [];
  const bases: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    authz = await FakeAuthz.start();
    for (let i = 0; i < 2; i++) {
      const { app } = await createMcpApp({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTHZ_INTERNAL_URL: authz.url,
        STORE_URL: redis.url,
        MCP_TOOL_RATE_LIMIT: '4',
        MCP_TOOL_RATE_WINDOW_MS: '60000',
      });
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      bases.push(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
    }
  }, 30_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await authz?.close();
    await redis?.close();
  }, 60_000);

  it('refuses the fifth call of a subject whichever instance it reaches', async () => {
    const outcomes: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const base = bases[i % 2];
      const reply = await callTool(base, await authz.token({ base, sub: 'grace' }), 'add', { a: i, b: 0 });
      outcomes.push(reply.message.result?.isError === true);
    }
    expect(outcomes).toEqual([false, false, false, false, true, true]);
  });

  it('keeps limiting in this instance while Redis is down, and shares the count again once it is back', async () => {
    await redis.stop();
    try {
      const base = bases[0];
      const token = await authz.token({ base, sub: 'heidi' });
      const local = [];
      for (let i = 0; i < 5; i++)
        local.push((await callTool(base, token, 'add', { a: i, b: 0 })).message.result?.isError === true);
      expect(local).toEqual([false, false, false, false, true]);
    } finally {
      await redis.start();
    }
    // Back: counted in Redis again (emptied by the restart), so the two instances share one budget again.
    const shared: boolean[] = [];
    await new Promise((resolve) => setTimeout(resolve, 1500)); // ioredis reconnects within a second
    for (let i = 0; i < 6; i++) {
      const base = bases[i % 2];
      const reply = await callTool(base, await authz.token({ base, sub: 'ivan' }), 'add', { a: i, b: 0 });
      shared.push(reply.message.result?.isError === true);
    }
    expect(shared).toEqual([false, false, false, false, true, true]);
  });
});
