import request from 'supertest';
import { startGateway, type GatewayUnderTest } from './support/gateway-harness';
import { rawRequest } from './support/raw-request';

describe('gateway routing', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.authz.reset();
    gw.mcp.reset();
  });

  it.each([
    ['/.well-known/oauth-authorization-server', 'authz'],
    ['/.well-known/oauth-authorization-server/tenant-a', 'authz'],
    ['/.well-known/openid-configuration', 'authz'],
    ['/.well-known/openid-configuration/tenant-a', 'authz'],
    ['/.well-known/jwks.json', 'authz'],
    ['/authorize', 'authz'],
    ['/authorize/decision', 'authz'],
    ['/login', 'authz'],
    ['/logout', 'authz'],
    ['/token', 'authz'],
    ['/register', 'authz'],
    ['/revoke', 'authz'],
    ['/introspect', 'authz'],
    ['/auth/token', 'authz'],
    ['/docs', 'authz'],
    ['/docs/swagger-ui-bundle.js', 'authz'],
    ['/docs-json', 'authz'],
    ['/mcp', 'mcp'],
    ['/.well-known/oauth-protected-resource', 'mcp'],
    ['/.well-known/oauth-protected-resource/mcp', 'mcp'],
  ])('sends %s to %s, path unchanged', async (path, upstream) => {
    const res = await rawRequest(gw.port, path);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ upstream, url: path });
  });

  it('passes the query string through untouched', async () => {
    const target =
      '/authorize?response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A6274%2Fcb&x=%zz&y=a/../b';
    expect((await rawRequest(gw.port, target)).json()).toMatchObject({ url: target });
  });

  it('forwards the canonical spelling of a percent-encoded path', async () => {
    expect((await rawRequest(gw.port, '/%6dcp?x=1')).json()).toMatchObject({
      upstream: 'mcp',
      url: '/mcp?x=1',
    });
  });

  it.each([
    '/mcpx',
    '/mcp/',
    '/mcp/../token',
    '/MCP',
    '/token/../admin',
    '/token/%2e%2e/admin',
    '/%2e%2e/token',
    '/%2E%2E/mcp',
    '/./token',
    '/mcp%2f..',
    '/mcp%2F',
    '/docs%5c..%5cinternal',
    '/docs/..%5cinternal',
    '/token%00',
    '//token',
    '//mcp',
    '/.well-known//jwks.json',
    '/%252e%252e/token',
    '/internal/token-status?jti=x',
    '/.well-known/oauth-protected-resource/other',
    '/tokens',
    '/auth',
  ])('answers 404 JSON for %s and never reaches an upstream', async (path) => {
    const res = await rawRequest(gw.port, path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({ error: 'not_found', error_description: expect.any(String) });
    expect(gw.authz.proxied()).toEqual([]);
    expect(gw.mcp.proxied()).toEqual([]);
  });

  it('answers a target that cannot be decoded with 404 JSON and a request id', async () => {
    for (const path of ['/%zz', '/token%', '/%c0%ae%c0%ae/token']) {
      const res = await rawRequest(gw.port, path);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
      expect(res.headers['x-request-id']).toBeDefined();
    }
    expect(gw.authz.proxied()).toEqual([]);
    expect(gw.mcp.proxied()).toEqual([]);
  });

  it('answers a method its own routes do not serve in the same JSON error shape', async () => {
    const res = await rawRequest(gw.port, '/healthz', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', error_description: expect.any(String) });
  });

  it('answers an absolute-form target with 404', async () => {
    const res = await rawRequest(gw.port, 'http://evil.example/token');
    expect(res.status).toBe(404);
    expect(gw.authz.proxied()).toEqual([]);
  });

  it('streams a request body to the upstream byte for byte, without parsing it', async () => {
    const body = '{"jsonrpc":"2.0", "method": "tools/list", not json at all \u00e9';
    const res = await rawRequest(gw.port, '/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
  });

  it('forwards the client Host header unchanged', async () => {
    const res = await rawRequest(gw.port, '/token', { headers: { host: 'localhost:3002' } });
    expect(res.json()).toMatchObject({ headers: { host: 'localhost:3002' } });
  });

  it('serves its own liveness probe without touching an upstream', async () => {
    await request(gw.app.getHttpServer()).get('/healthz').expect(200, { status: 'ok' });
    expect(gw.authz.seen).toEqual([]);
    expect(gw.mcp.seen).toEqual([]);
  });

  it('reports each upstream in readiness, and is not ready while one is down', async () => {
    const ready = await request(gw.app.getHttpServer()).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { authz: { ok: true }, mcp: { ok: true } } });

    await gw.mcp.stop();
    try {
      const notReady = await request(gw.app.getHttpServer()).get('/readyz').expect(503);
      expect(notReady.body).toMatchObject({
        status: 'not_ready',
        checks: { authz: { ok: true }, mcp: { ok: false } },
      });
    } finally {
      await gw.mcp.start();
    }
    await request(gw.app.getHttpServer()).get('/readyz').expect(200);
  });

  it('reuses keep-alive connections to an upstream instead of one per request', async () => {
    for (let i = 0; i < 20; i++) {
      await rawRequest(gw.port, '/token');
    }
    expect(gw.authz.proxied()).toHaveLength(20);
    expect(gw.authz.connections).toBeLessThanOrEqual(2);
    expect(gw.authz.proxied().every((seen) => seen.headers.connection !== 'close')).toBe(true);
  });
});
