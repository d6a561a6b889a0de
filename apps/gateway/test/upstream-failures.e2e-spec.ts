import { MetricsRegistry } from '@app/observability';
import { startGateway, type GatewayUnderTest } from './support/gateway-harness';
import { rawRequest } from './support/raw-request';
import { openStream } from './support/sse';

const mcpPost = {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
};

describe('gateway upstream failures', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway({ GATEWAY_UPSTREAM_TIMEOUT_MS: '300' });
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.authz.reset();
    gw.mcp.reset();
  });

  it('answers 502 with an OAuth error body when authz is down, and flows again once it is back', async () => {
    await rawRequest(gw.port, '/token'); // leaves a kept-alive upstream connection behind
    await gw.authz.stop();

    const down = await rawRequest(gw.port, '/token', { method: 'POST', body: 'grant_type=x' });
    expect(down.status).toBe(502);
    expect(down.headers['content-type']).toMatch(/application\/json/);
    expect(down.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect((await rawRequest(gw.port, '/.well-known/oauth-authorization-server')).status).toBe(502);

    await gw.authz.start();
    const back = await rawRequest(gw.port, '/token');
    expect(back.status).toBe(200);
    expect(back.json()).toMatchObject({ upstream: 'authz' });
  });

  it('answers 502 with a JSON-RPC error on /mcp and an OAuth error on its metadata when mcp is down', async () => {
    await gw.mcp.stop();
    try {
      const rpc = await rawRequest(gw.port, '/mcp', mcpPost);
      expect(rpc.status).toBe(502);
      expect(rpc.json()).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: expect.any(String) },
        id: null,
      });

      const metadata = await rawRequest(gw.port, '/.well-known/oauth-protected-resource/mcp');
      expect(metadata.status).toBe(502);
      expect(metadata.json()).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await gw.mcp.start();
    }
    expect((await rawRequest(gw.port, '/mcp', mcpPost)).status).toBe(200);
  });

  it('answers 504 when an upstream does not send its headers in time, in the route’s shape', async () => {
    const never = () => undefined;
    gw.authz.handler = never;
    gw.mcp.handler = never;

    const started = Date.now();
    const token = await rawRequest(gw.port, '/token', { method: 'POST', body: 'grant_type=x' });
    expect(token.status).toBe(504);
    expect(token.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);

    const rpc = await rawRequest(gw.port, '/mcp', mcpPost);
    expect(rpc.status).toBe(504);
    expect(rpc.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });

    gw.authz.reset();
    expect((await rawRequest(gw.port, '/token')).status).toBe(200);
  });

  it('cuts the client connection when the upstream dies in the middle of a stream', async () => {
    gw.mcp.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n', () => setTimeout(() => res.socket?.destroy(), 50));
    };
    const stream = await openStream(gw.port, '/mcp');
    await stream.ended;
    expect(stream.res.complete).toBe(false);
    expect(stream.chunks.map((chunk) => chunk.text).join('')).toBe('data: first\n\n');
  });

  it('keeps serving after an upstream hangs up without answering', async () => {
    gw.authz.handler = (req) => req.socket.destroy();
    expect((await rawRequest(gw.port, '/token')).status).toBe(502);
    gw.authz.reset();
    expect((await rawRequest(gw.port, '/token')).status).toBe(200);
  });

  it('counts each failure per upstream instance, and the latency of what was answered', async () => {
    const text = await gw.app.get(MetricsRegistry).registry.metrics();
    const count = (name: string, labels: Record<string, string>) =>
      Number(
        text
          .split('\n')
          .find(
            (line) =>
              line.startsWith(`${name}{`) &&
              Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)),
          )
          ?.split(' ')
          .pop() ?? 'NaN',
      );
    const authz = { upstream: 'authz', server_address: '127.0.0.1', server_port: String(gw.authz.port) };
    const mcp = { upstream: 'mcp', server_address: '127.0.0.1', server_port: String(gw.mcp.port) };
    // The cases above: both upstreams down once (and authz hung up on once), a timeout on each route, a stream cut.
    expect(
      count('gateway_upstream_errors_total', { ...authz, error_type: 'unavailable' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      count('gateway_upstream_errors_total', { ...mcp, error_type: 'unavailable' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      count('gateway_upstream_errors_total', { ...mcp, error_type: 'timeout' }) +
        count('gateway_upstream_errors_total', { ...authz, error_type: 'timeout' }),
    ).toBeGreaterThanOrEqual(1);
    expect(count('gateway_upstream_errors_total', { ...mcp, error_type: 'aborted' })).toBe(1);
    expect(
      count('http_client_request_duration_seconds_count', { ...authz, http_response_status_code: '200' }),
    ).toBeGreaterThanOrEqual(2);
  });
});
