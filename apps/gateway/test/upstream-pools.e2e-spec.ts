import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createGatewayApp } from '../src/gateway.app';
import { mcpHandler, startMcpUpstream } from './support/mcp-upstream';
import { openStream, sleep } from './support/sse';
import type { TestUpstream } from './support/test-upstream';

const COOLDOWN_MS = 400;
const ping = (id = 1) => ({ jsonrpc: '2.0', id, method: 'ping' });
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25' } };

describe('gateway upstream pools', () => {
  let app: NestExpressApplication;
  let base: string;
  let a: TestUpstream;
  let b: TestUpstream;
  let authz: TestUpstream;

  beforeAll(async () => {
    [a, b, authz] = await Promise.all([
      startMcpUpstream('a'),
      startMcpUpstream('b'),
      startMcpUpstream('authz'),
    ]);
    ({ app } = await createGatewayApp({
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      AUTHZ_UPSTREAM_URL: authz.url,
      MCP_UPSTREAM_URL: `${a.url}, ${b.url}`,
      GATEWAY_UPSTREAM_COOLDOWN_MS: String(COOLDOWN_MS),
      GATEWAY_UPSTREAM_TIMEOUT_MS: '10000',
    }));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    (app.getHttpServer() as Server).closeAllConnections();
    await app.close();
    await Promise.all([a, b, authz].map((upstream) => upstream.stop()));
  });
  beforeEach(async () => {
    for (const upstream of [a, b]) {
      upstream.seen.length = 0;
      upstream.handler = mcpHandler();
      // Listening again on its port after a test stopped it (a running one refuses: already listening).
      await upstream.start().catch(() => undefined);
    }
    // Past any cooldown a previous test left behind.
    await sleep(COOLDOWN_MS + 50);
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const served = () => ({ a: a.proxied().length, b: b.proxied().length });

  it('sends requests round-robin over the instances', async () => {
    for (let i = 0; i < 6; i++) expect((await post(ping(i))).status).toBe(200);
    expect(served()).toEqual({ a: 3, b: 3 });
  });

  it('skips an instance that refuses connections, sending its requests to the next, and retries it after the cooldown', async () => {
    await b.stop();
    for (let i = 0; i < 6; i++) expect((await post(ping(i))).status).toBe(200);
    expect(served()).toEqual({ a: 6, b: 0 });
    // Back at once, but still cooling down: not tried yet.
    await b.start();
    for (let i = 0; i < 4; i++) await post(ping(i));
    expect(served()).toEqual({ a: 10, b: 0 });
    await sleep(COOLDOWN_MS + 50);
    for (let i = 0; i < 4; i++) await post(ping(i));
    expect(served().b).toBe(2);
  });

  it('reports each instance in /readyz, ready while one instance of each upstream is', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      checks: {
        authz: { ok: true },
        mcp: {
          ok: true,
          detail: { instances: { [`${a.url}/`]: { ok: true }, [`${b.url}/`]: { ok: true } } },
        },
      },
    });
    await b.stop();
    const degraded = await fetch(`${base}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toMatchObject({
      checks: {
        mcp: { ok: true, detail: { instances: { [`${b.url}/`]: { ok: false, error: 'ECONNREFUSED' } } } },
      },
    });
    await a.stop();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not_ready', checks: { mcp: { ok: false } } });
  });

  it('answers 502, at once, a request an instance took and then died with', async () => {
    let taken!: () => void;
    const arrived = new Promise<void>((resolve) => (taken = resolve));
    for (const upstream of [a, b]) upstream.handler = () => taken();
    const started = Date.now();
    const pending = post(ping());
    await arrived;
    await Promise.all([a.stop(), b.stop()]);
    const response = await pending;
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ends the client stream, never leaving it hanging, when an instance dies mid-stream', async () => {
    for (const upstream of [a, b]) {
      upstream.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"jsonrpc":"2.0","method":"notifications/message"}\n\n');
      };
    }
    const stream = await openStream(Number(new URL(base).port), '/mcp');
    await sleep(50);
    await Promise.all([a.stop(), b.stop()]);
    await Promise.race([stream.ended, sleep(2000).then(() => Promise.reject(new Error('the stream hangs')))]);
    expect(stream.chunks.map((chunk) => chunk.text).join('')).toContain('notifications/message');
  });

  it('keeps a 2025 session on the instance that created it, spreads sessionless requests, forgets ended sessions', async () => {
    const created = await post(initialize);
    const session = created.headers.get('mcp-session-id')!;
    const home = served().a === 1 ? a : b;
    for (let i = 0; i < 6; i++) expect((await post(ping(i), { 'mcp-session-id': session })).status).toBe(200);
    expect(home.proxied()).toHaveLength(7);
    // 2026-07-28 requests carry no session: any instance.
    for (let i = 0; i < 4; i++) await post(ping(i));
    expect(served()).toEqual(home === a ? { a: 9, b: 2 } : { a: 2, b: 9 });

    const ended = await fetch(`${base}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': session } });
    expect(ended.status).toBeLessThan(300);
    expect(home.proxied().at(-1)?.method).toBe('DELETE');
    // Ended: the id no longer pins anything, so its requests go round-robin (the instances answer it 404).
    const before = served();
    for (let i = 0; i < 2; i++) await post(ping(i), { 'mcp-session-id': session });
    expect(served()).toEqual({ a: before.a + 1, b: before.b + 1 });
  });

  it('answers 404 for a session whose instance is gone, so the client starts a new one', async () => {
    const session = (await post(initialize)).headers.get('mcp-session-id')!;
    const home = served().a === 1 ? a : b;
    await home.stop();
    const lost = await post(ping(), { 'mcp-session-id': session });
    expect(lost.status).toBe(404);
    expect(await lost.json()).toMatchObject({ error: { code: -32001, message: 'Session not found' } });
    // The session is forgotten: the client's new initialize lands on the instance that is up.
    expect((await post(initialize)).status).toBe(200);
  });
});
