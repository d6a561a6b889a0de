import { INITIALIZE, connectClient, postMcp, startHarness, type Harness } from './support/mcp-harness';

const LIST_TOOLS = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

describe('mcp Streamable HTTP transport: sessions, origins, hosts, bodies', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ MCP_MAX_BODY_BYTES: '2048' });
  });

  afterAll(() => harness?.close());

  const auth = async (sub = 'alice', clientId = 'test-client') => ({
    Authorization: `Bearer ${await harness.authz.token({ base: harness.base, sub, clientId })}`,
  });

  async function openSession(headers: Record<string, string>): Promise<string> {
    const response = await postMcp(harness.base, INITIALIZE, headers);
    expect(response.status).toBe(200);
    await response.text();
    return response.headers.get('mcp-session-id')!;
  }

  it('binds a session to the token subject and client: another identity gets 404', async () => {
    const id = await openSession(await auth('alice'));
    const session = { 'Mcp-Session-Id': id, 'Mcp-Protocol-Version': '2025-11-25' };
    const mallory = await postMcp(harness.base, LIST_TOOLS, { ...(await auth('mallory')), ...session });
    expect(mallory.status).toBe(404);
    expect(((await mallory.json()) as { error: { code: number } }).error.code).toBe(-32001);
    const otherClient = await postMcp(harness.base, LIST_TOOLS, {
      ...(await auth('alice', 'other-client')),
      ...session,
    });
    expect(otherClient.status).toBe(404);
    // A fresh token for the same user and client (e.g. after a refresh) keeps the session.
    const alice = await postMcp(harness.base, LIST_TOOLS, { ...(await auth('alice')), ...session });
    expect(alice.status).toBe(200);
    expect(await alice.text()).toContain('"tools"');
  });

  it('answers an unknown session id with 404 and a missing one with 400', async () => {
    const unknown = await postMcp(harness.base, LIST_TOOLS, {
      ...(await auth()),
      'Mcp-Session-Id': 'no-such-session',
    });
    expect(unknown.status).toBe(404);
    const missing = await postMcp(harness.base, LIST_TOOLS, await auth());
    expect(missing.status).toBe(400);
  });

  it('opens the standalone SSE stream with GET and ends the session with DELETE', async () => {
    const headers = await auth();
    const id = await openSession(headers);
    const controller = new AbortController();
    const stream = await fetch(`${harness.base}/mcp`, {
      headers: { ...headers, Accept: 'text/event-stream', 'Mcp-Session-Id': id },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();

    const other = await fetch(`${harness.base}/mcp`, {
      method: 'DELETE',
      headers: { ...(await auth('mallory')), 'Mcp-Session-Id': id },
    });
    expect(other.status).toBe(404);
    const deleted = await fetch(`${harness.base}/mcp`, {
      method: 'DELETE',
      headers: { ...headers, 'Mcp-Session-Id': id },
    });
    expect(deleted.status).toBe(200);
    const after = await postMcp(harness.base, LIST_TOOLS, { ...headers, 'Mcp-Session-Id': id });
    expect(after.status).toBe(404);
  });

  it('answers notifications and responses with 202 and no body (Streamable HTTP, sending messages)', async () => {
    const headers = await auth();
    const id = await openSession(headers);
    const session = { ...headers, 'Mcp-Session-Id': id, 'Mcp-Protocol-Version': '2025-11-25' };
    const notification = await postMcp(
      harness.base,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      session,
    );
    expect(notification.status).toBe(202);
    expect(await notification.text()).toBe('');
    const response = await postMcp(harness.base, { jsonrpc: '2.0', id: 'srv-1', result: {} }, session);
    expect(response.status).toBe(202);
  });

  it('refuses an unsupported Mcp-Protocol-Version with 400 and accepts unknown Mcp-* headers', async () => {
    const headers = await auth();
    const id = await openSession(headers);
    const session = { ...headers, 'Mcp-Session-Id': id };
    const unsupported = await postMcp(harness.base, LIST_TOOLS, {
      ...session,
      'Mcp-Protocol-Version': '1999-01-01',
    });
    expect(unsupported.status).toBe(400);
    // Headers a later MCP revision adds (e.g. Mcp-Method / Mcp-Name) must not break today's server.
    const future = await postMcp(harness.base, LIST_TOOLS, {
      ...session,
      'Mcp-Protocol-Version': '2025-11-25',
      'Mcp-Method': 'tools/list',
      'Mcp-Name': 'anything',
      'Mcp-Future-Header': 'x',
    });
    expect(future.status).toBe(200);
    expect(await future.text()).toContain('"tools"');
  });

  it('answers GET and DELETE without a session id with 405 (2026-07-28), and with an unknown one with 404', async () => {
    const headers = { ...(await auth()), Accept: 'text/event-stream' };
    for (const method of ['GET', 'DELETE']) {
      const sessionless = await fetch(`${harness.base}/mcp`, { method, headers });
      expect(sessionless.status).toBe(405);
      expect(sessionless.headers.get('allow')).toBe('POST');
      const unknown = await fetch(`${harness.base}/mcp`, {
        method,
        headers: { ...headers, 'Mcp-Session-Id': 'no-such-session' },
      });
      expect(unknown.status).toBe(404);
    }
  });

  it('refuses a browser Origin that is not on the allow-list with 403', async () => {
    const headers = await auth();
    const evil = await postMcp(harness.base, INITIALIZE, { ...headers, Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { message: string } }).error.message).toMatch(/Origin/);
    // The origin check comes first: no token needed to be refused.
    expect((await postMcp(harness.base, INITIALIZE, { Origin: 'http://evil.example' })).status).toBe(403);
    expect(
      (await postMcp(harness.base, INITIALIZE, { ...headers, Origin: 'http://localhost:6274' })).status,
    ).toBe(200);
  });

  it('refuses a Host or X-Forwarded-Host that is not a public alias with 403', async () => {
    const response = await postMcp(harness.base, INITIALIZE, {
      ...(await auth()),
      'X-Forwarded-Host': 'evil.example',
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/host/);
  });

  it('accepts the IPv6 loopback [::1] as a public alias, like 127.0.0.1', async () => {
    const base = `http://[::1]:${new URL(harness.base).port}`;
    const token = await harness.authz.token({ base });
    const response = await postMcp(harness.base, INITIALIZE, {
      Authorization: `Bearer ${token}`,
      'X-Forwarded-Host': new URL(base).host,
    });
    expect(response.status).toBe(200);
  });

  it('answers malformed JSON with a JSON-RPC parse error and a non-JSON body with 415', async () => {
    const headers = {
      ...(await auth()),
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    };
    const parse = await fetch(`${harness.base}/mcp`, { method: 'POST', headers, body: '{"jsonrpc":' });
    expect(parse.status).toBe(400);
    expect(((await parse.json()) as { error: { code: number } }).error.code).toBe(-32700);
    const text = await fetch(`${harness.base}/mcp`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/plain' },
      body: JSON.stringify(INITIALIZE),
    });
    expect(text.status).toBe(415);
  });

  it('answers other HTTP methods with 405 and an Allow header', async () => {
    const response = await fetch(`${harness.base}/mcp`, { method: 'PUT', headers: await auth() });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST, DELETE');
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(4096) } };
    const response = await postMcp(harness.base, big, await auth());
    expect(response.status).toBe(413);
  });
});

describe('mcp stateless mode (MCP_STATELESS=true)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ MCP_STATELESS: 'true', MCP_SERVER_POOL_SIZE: '2' });
  });

  afterAll(() => harness?.close());

  it('serves the SDK client without sessions, reusing pooled servers across requests', async () => {
    const token = await harness.authz.token({ base: harness.base });
    const { client, transport } = await connectClient(harness.base, token);
    expect(transport.sessionId).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      const result = await client.callTool({ name: 'add', arguments: { a: i, b: 1 } });
      expect((result.content as { text: string }[])[0].text).toBe(String(i + 1));
    }
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        client.callTool({ name: 'calculate', arguments: { expression: `${i} * 2` } }),
      ),
    ).then((results) =>
      expect(results.map((r) => (r.content as { text: string }[])[0].text)).toEqual(['0', '2', '4', '6']),
    );
    await client.close();
  });

  it('answers GET and DELETE with 405', async () => {
    const headers = { Authorization: `Bearer ${await harness.authz.token({ base: harness.base })}` };
    const get = await fetch(`${harness.base}/mcp`, { headers: { ...headers, Accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${harness.base}/mcp`, { method: 'DELETE', headers })).status).toBe(405);
  });
});

describe('mcp when authz is unreachable', () => {
  it('fails closed with 503 instead of accepting or crashing', async () => {
    const harness = await startHarness({
      AUTHZ_INTERNAL_URL: 'http://127.0.0.1:9',
      MCP_AUTHZ_TIMEOUT_MS: '500',
    });
    try {
      const token = await harness.authz.token({ base: harness.base });
      const response = await postMcp(harness.base, INITIALIZE, { Authorization: `Bearer ${token}` });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { jsonrpc: string }).jsonrpc).toBe('2.0');
    } finally {
      await harness.close();
    }
  });
});
