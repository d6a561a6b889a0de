import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { modernRequest } from '../apps/mcp/test/support/modern-request';
import { startProcessStack, type ProcessStack } from './support/app-processes';
import { GatewayOAuthClient } from './support/gateway-oauth';
import { initializeRequest, mcpPost, responseTo } from './support/mcp-http';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';

jest.setTimeout(120_000);

const SERVER = 2;
const CLIENT = 3;

/** A sample from Prometheus text: the value of `name{labels}` (labels a subset), summed over the matches. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) found = (found ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return found;
}

const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
};

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readJsonLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const traceparent = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const hex = (length: number) =>
  Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/**
 * The three apps as separate processes, as `npm start` runs them, exporting spans to a small OTLP receiver and
 * audit events to files: one flow through the gateway, then what an operator would look at.
 */
describe('metrics, traces, audit and logs of a running stack', () => {
  const receiver = new OtlpReceiver();
  const auditDir = mkdtempSync(join(tmpdir(), 'audit-e2e-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'observability-e2e-'));
  const audit = { authz: join(auditDir, 'authz.log'), mcp: join(auditDir, 'mcp.log') };
  let stack: ProcessStack;
  let oauth: GatewayOAuthClient;
  const clientTrace = { traceId: hex(32), spanId: hex(16) };

  beforeAll(async () => {
    await receiver.start();
    stack = await startProcessStack({
      common: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' },
      authz: {
        AUTHZ_DATA_DIR: dataDir,
        AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '0',
        AUTHZ_RATE_LIMIT_MAX: '20',
        AUDIT_SINK: 'file',
        AUDIT_FILE: audit.authz,
      },
      mcp: { AUDIT_SINK: 'file', AUDIT_FILE: audit.mcp, AUDIT_INCLUDE_ARGUMENTS: 'true' },
    });
    oauth = await GatewayOAuthClient.register(stack.base, 'http://127.0.0.1:41811/callback');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
    rmSync(auditDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function session(token: string): Promise<string> {
    const reply = await mcpPost(stack.base, initializeRequest(1), { token });
    expect(reply.status).toBe(200);
    return reply.headers['mcp-session-id'];
  }

  let sessionToken = '';

  it('traces one tools/call through gateway, mcp and authz (asked about the fresh grant) as one trace', async () => {
    // The session is opened with one grant; the call carries a second, fresh one (same client and user, so the
    // same session): mcp first asks authz about it while serving this very tools/call.
    sessionToken = (await oauth.tokens()).access_token;
    const sessionId = await session(sessionToken);
    const fresh = await oauth.tokens();
    const call = await mcpPost(
      stack.base,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'add', arguments: { a: 2, b: 3 } } },
      {
        token: fresh.access_token,
        sessionId,
        headers: { traceparent: traceparent(clientTrace.traceId, clientTrace.spanId) },
      },
    );
    expect(JSON.stringify(responseTo(call, 2).result)).toContain('5');

    // The trace the client started: its span is the gateway's parent.
    const spans = () => receiver.spans.filter((span) => span.traceId === clientTrace.traceId);
    const one = (predicate: (span: ReceivedSpan) => boolean) => spans().find(predicate);
    const tool = await until(() => one((span) => span.service === 'mcp' && span.name === 'tools/call add'));
    const mcpServer = await until(() => one((span) => span.spanId === tool.parentSpanId));
    const gateway = await until(() => one((span) => span.spanId === mcpServer.parentSpanId));
    expect(gateway).toMatchObject({ service: 'gateway', kind: SERVER, parentSpanId: clientTrace.spanId });
    expect(gateway.attributes).toMatchObject({ 'http.route': '/mcp', 'http.response.status_code': 200 });
    expect(mcpServer).toMatchObject({ service: 'mcp', kind: SERVER, name: 'POST /mcp' });
    expect(tool.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'add' });
    // The grant was new to mcp: it asked authz, and authz's span continues mcp's client span.
    const authz = await until(() => one((span) => span.service === 'authz'));
    expect(authz).toMatchObject({ kind: SERVER, name: 'GET /internal/grants/{grant_id}' });
    const asked = one((span) => span.spanId === authz.parentSpanId)!;
    expect(asked).toMatchObject({ service: 'mcp', kind: CLIENT });
    // mcp asked while authenticating the request, inside its server span: one tree from the gateway down.
    const ancestors = (span: ReceivedSpan): string[] => {
      const parent = spans().find((candidate) => candidate.spanId === span.parentSpanId);
      return parent ? [parent.service, ...ancestors(parent)] : [];
    };
    expect(ancestors(authz)).toEqual(['mcp', 'mcp', 'gateway', ...ancestors(gateway)]);
  });

  it('honours params._meta trace context on a 2026-07-28 tools/call (SEP-414), linked to the HTTP span', async () => {
    const meta = { traceId: hex(32), spanId: hex(16) };
    const http = { traceId: hex(32), spanId: hex(16) };
    const { body, headers } = modernRequest('tools/call', {
      name: 'add',
      arguments: { a: 4, b: 4 },
      _meta: { traceparent: traceparent(meta.traceId, meta.spanId) },
    });
    const reply = await mcpPost(stack.base, body, {
      token: sessionToken,
      headers: { ...headers, traceparent: traceparent(http.traceId, http.spanId) },
    });
    expect(reply.status).toBe(200);
    expect(JSON.stringify(responseTo(reply, body.id).result)).toContain('8');
    const tool = await until(() =>
      receiver.spans.find((span) => span.name === 'tools/call add' && span.traceId === meta.traceId),
    );
    expect(tool).toMatchObject({ service: 'mcp', parentSpanId: meta.spanId });
    expect(tool.links).toEqual([expect.objectContaining({ traceId: http.traceId })]);
    // The HTTP request itself stays in the trace its traceparent header names.
    const server = await until(() =>
      receiver.spans.find(
        (span) => span.service === 'mcp' && span.traceId === http.traceId && span.kind === SERVER,
      ),
    );
    expect(tool.links[0].spanId).toBe(server.spanId);
  });

  it("honours the MCP request's own trace context on a 2025 session's tools/call too", async () => {
    const meta = { traceId: hex(32), spanId: hex(16) };
    const http = { traceId: hex(32), spanId: hex(16) };
    const sessionId = await session(sessionToken);
    await mcpPost(
      stack.base,
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: {
          name: 'add',
          arguments: { a: 1, b: 1 },
          _meta: { traceparent: traceparent(meta.traceId, meta.spanId) },
        },
      },
      { token: sessionToken, sessionId, headers: { traceparent: traceparent(http.traceId, http.spanId) } },
    );
    const tool = await until(() =>
      receiver.spans.find((span) => span.name === 'tools/call add' && span.traceId === meta.traceId),
    );
    expect(tool.parentSpanId).toBe(meta.spanId);
    // Linked to the HTTP request it came in, whose trace is the transport's.
    expect(tool.links).toEqual([expect.objectContaining({ traceId: http.traceId })]);
  });

  it('audits the OAuth flow, a refresh, a reuse detection and a denied tool, one JSON line each', async () => {
    const tokens = await oauth.tokens();
    const refreshed = await oauth.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    // The grace is 0: the spent token again is reuse, and revokes the grant.
    expect((await oauth.refresh(tokens.refresh_token)).status).toBe(400);
    const narrow = (await (
      await fetch(`${stack.base}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ scope: 'mcp:tools:read' }),
      })
    ).json()) as { access_token: string };
    const denied = await mcpPost(
      stack.base,
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 } } },
      { token: narrow.access_token },
    );
    expect(denied.status).toBe(403);
    const sessionId = await session(sessionToken);
    const secret = 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    await mcpPost(
      stack.base,
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'calculate', arguments: { expression: secret } },
      },
      { token: sessionToken, sessionId },
    );

    const grant = decodeJwt(tokens.access_token).grant_id as string;
    const client = oauth.client.clientId;
    const authzEvents = await until(() => {
      const events = readJsonLines(audit.authz);
      return events.some((event) => event.type === 'token.revoked' && event.grant_id === grant)
        ? events
        : undefined;
    });
    const of = (grantId: string) =>
      authzEvents.filter((event) => event.grant_id === grantId).map((event) => event.type);
    expect(authzEvents).toContainEqual(
      expect.objectContaining({
        type: 'client.registered',
        client_id: client,
        app: 'authz',
        request_id: expect.any(String),
      }),
    );
    expect(authzEvents).toContainEqual(
      expect.objectContaining({ type: 'login.succeeded', sub: 'developer', method: 'auto' }),
    );
    expect(of(grant)).toEqual([
      'code.issued',
      'code.redeemed',
      'token.issued',
      'token.refreshed',
      'token.reuse_detected',
      'token.revoked',
    ]);
    expect(authzEvents).toContainEqual(
      expect.objectContaining({ type: 'consent.granted', sub: 'developer', client_id: client }),
    );
    expect(authzEvents).toContainEqual(
      expect.objectContaining({
        type: 'token.reuse_detected',
        grant_id: grant,
        client_id: client,
        credential: 'refresh_token',
      }),
    );
    // Never a token, code or secret.
    expect(readFileSync(audit.authz, 'utf8')).not.toMatch(/eyJ|refresh_token":/);

    const mcpEvents = await until(() => {
      const events = readJsonLines(audit.mcp);
      return events.some((event) => event.tool === 'calculate') ? events : undefined;
    });
    expect(mcpEvents).toContainEqual(
      expect.objectContaining({
        type: 'mcp.tool.called',
        app: 'mcp',
        sub: 'developer',
        client_id: client,
        resource: `${stack.base}/mcp`,
        tool: 'add',
        outcome: 'ok',
        duration_ms: expect.any(Number),
        arguments: { a: 2, b: 3 },
        trace_id: clientTrace.traceId,
      }),
    );
    expect(mcpEvents).toContainEqual(
      expect.objectContaining({
        type: 'mcp.tool.called',
        tool: 'add',
        outcome: 'denied',
        client_id: 'dev-token',
      }),
    );
    // AUDIT_INCLUDE_ARGUMENTS=true keeps arguments, through the documented redaction.
    expect(mcpEvents).toContainEqual(
      expect.objectContaining({ tool: 'calculate', arguments: { expression: '[REDACTED]' } }),
    );
    expect(readFileSync(audit.mcp, 'utf8')).not.toContain('eyJhbGci');
  });

  it('serves audit://recent from the same events', async () => {
    const sessionId = await session(sessionToken);
    const reply = await mcpPost(
      stack.base,
      { jsonrpc: '2.0', id: 6, method: 'resources/read', params: { uri: 'audit://recent' } },
      { token: sessionToken, sessionId },
    );
    const text = (responseTo(reply, 6).result as { contents: { text: string }[] }).contents[0].text;
    const recent = JSON.parse(text) as Record<string, unknown>[];
    const written = readJsonLines(audit.mcp);
    const calculate = recent.find((entry) => entry.tool === 'calculate')!;
    expect(written).toContainEqual(calculate);
  });

  it("exports metrics on each app's private listener, and the counters moved with the flow", async () => {
    for (let i = 0; i < 25; i++) await fetch(`${stack.base}/introspect`, { method: 'POST' });
    const gateway = await scrape(`http://127.0.0.1:${stack.ports.admin}/metrics`);
    const authz = await scrape(`http://127.0.0.1:${stack.ports.authz}/metrics`);
    const mcp = await scrape(`http://127.0.0.1:${stack.ports.mcp}/metrics`);

    const mcpRoute = { http_request_method: 'POST', http_route: '/mcp', http_response_status_code: '200' };
    expect(sample(gateway, 'http_server_request_duration_seconds_count', mcpRoute)).toBeGreaterThanOrEqual(4);
    expect(
      sample(gateway, 'http_client_request_duration_seconds_count', {
        upstream: 'mcp',
        server_port: String(stack.ports.mcp),
      }),
    ).toBeGreaterThanOrEqual(4);
    expect(
      sample(gateway, 'gateway_upstream_errors_total', { upstream: 'authz', error_type: 'unavailable' }),
    ).toBe(0);
    expect(sample(mcp, 'http_server_request_duration_seconds_count', mcpRoute)).toBeGreaterThanOrEqual(4);
    expect(
      sample(authz, 'http_server_request_duration_seconds_count', {
        http_route: '/token',
        http_response_status_code: '200',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(authz, 'http_server_request_duration_seconds_count', {
        http_route: '/internal/grants/{grant_id}',
      }),
    ).toBeGreaterThanOrEqual(1);

    for (const event of ['issued', 'refreshed', 'revoked', 'reuse_detected']) {
      expect(sample(authz, 'authz_token_events_total', { event })).toBeGreaterThanOrEqual(1);
    }
    expect(sample(authz, 'authz_rate_limit_refusals_total', { throttler: 'default' })).toBeGreaterThanOrEqual(
      5,
    );
    expect(sample(mcp, 'mcp_tool_calls_total', { tool: 'add', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sample(mcp, 'mcp_tool_calls_total', { tool: 'add', outcome: 'denied' })).toBe(1);
    expect(sample(mcp, 'mcp_tool_calls_total', { tool: 'calculate', outcome: 'error' })).toBe(1);
    expect(sample(mcp, 'mcp_sessions_active')).toBeGreaterThanOrEqual(1);
    expect(sample(mcp, 'resource_server_jwks_fetches_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    for (const text of [gateway, authz, mcp])
      expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeDefined();

    // Never on the public port.
    expect((await fetch(`${stack.base}/metrics`)).status).toBe(404);
    const proxied = await fetch(`http://127.0.0.1:${stack.ports.authz}/metrics`, {
      headers: { 'X-Forwarded-For': '198.51.100.7' },
    });
    expect(proxied.status).toBe(404);
  });

  it('logs one concise line per request per app, /mcp lines with the JSON-RPC method, tool, subject and client', () => {
    const lines = stack.apps.mcp.json();
    const call = lines.find(
      (line) =>
        line.jsonrpc_method === 'tools/call' &&
        line.tool === 'add' &&
        line.client_id === oauth.client.clientId,
    );
    expect(call).toMatchObject({
      level: 30,
      sub: 'developer',
      msg: expect.stringMatching(/^POST \/mcp 200 \d+ms$/),
    });
    const id = (call!.req as { id: string }).id;
    expect(call!.req).toEqual({ id, method: 'POST', path: '/mcp' });
    // The gateway logged the same request, under the same id, once.
    const atGateway = stack.apps.gateway
      .json()
      .filter((line) => (line.req as { id?: string } | undefined)?.id === id);
    expect(atGateway).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/^POST \/mcp 200 \d+ms$/) }),
    ]);
    for (const app of Object.values(stack.apps)) {
      const text = app.lines.join('\n');
      // Headers only at debug: never at info.
      expect(text).not.toMatch(/"headers"|authorization/i);
      // Starting (mcp may come up before authz) is not an error.
      expect(app.json().filter((line) => (line.level as number) >= 50)).toEqual([]);
    }
  });

  it('prints one banner line per app saying what to open', () => {
    const banners = (name: 'gateway' | 'authz' | 'mcp') =>
      stack.apps[name].lines.filter((line) => line.includes('listening on'));
    for (const name of ['gateway', 'authz', 'mcp'] as const) expect(banners(name)).toHaveLength(1);
    const gateway = banners('gateway')[0];
    expect(gateway).toContain(`MCP endpoint ${stack.base}/mcp`);
    expect(gateway).toContain(`Swagger ${stack.base}/docs`);
    expect(gateway).toContain(`metrics http://127.0.0.1:${stack.ports.admin}/metrics`);
    expect(banners('authz')[0]).toContain('consent user developer (signed in automatically)');
  });
});
