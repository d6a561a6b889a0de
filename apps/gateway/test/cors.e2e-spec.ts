import { startGateway, type GatewayUnderTest } from './support/gateway-harness';
import { rawRequest, type RawResponse } from './support/raw-request';

const INSPECTOR = 'http://localhost:6274';

const corsHeaderNames = (res: RawResponse) =>
  Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));

const preflight = (port: number, path: string, origin: string, requestHeaders: string) =>
  rawRequest(port, path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });

describe('gateway CORS', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.authz.reset();
    gw.mcp.reset();
  });

  it('answers an Inspector preflight for /mcp itself, allowing the MCP headers', async () => {
    const res = await preflight(
      gw.port,
      '/mcp',
      INSPECTOR,
      'authorization,content-type,mcp-protocol-version,mcp-session-id,last-event-id,mcp-method,mcp-name,x-request-id',
    );
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(INSPECTOR);
    expect(res.headers['access-control-allow-methods']).toEqual(expect.stringContaining('POST'));
    expect(res.headers['access-control-allow-methods']).toEqual(expect.stringContaining('DELETE'));
    const allowed = res.headers['access-control-allow-headers']!.toLowerCase().split(', ');
    expect(allowed).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'mcp-session-id',
        'mcp-protocol-version',
        'last-event-id',
        'mcp-method',
        'mcp-name',
        'x-request-id',
      ]),
    );
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/);
    expect(gw.mcp.seen).toEqual([]);
  });

  it('allows the 2026-07-28 Mcp-Param-* headers and any Mcp-* header a later revision may add', async () => {
    const res = await preflight(
      gw.port,
      '/mcp',
      INSPECTOR,
      'content-type,mcp-param-region,mcp-future-header',
    );
    const allowed = res.headers['access-control-allow-headers']!.toLowerCase();
    expect(allowed).toContain('mcp-param-region');
    expect(allowed).toContain('mcp-future-header');
  });

  it('answers an Inspector preflight for /token with any origin and no credentials', async () => {
    const res = await preflight(gw.port, '/token', INSPECTOR, 'content-type,authorization');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(gw.authz.seen).toEqual([]);
  });

  it('lets the Inspector read the discovery documents cross-origin', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/jwks.json', '/register']) {
      const res = await rawRequest(gw.port, path, { headers: { origin: INSPECTOR } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    for (const origin of [INSPECTOR, 'http://127.0.0.1:6274']) {
      const res = await rawRequest(gw.port, '/.well-known/oauth-protected-resource/mcp', {
        headers: { origin },
      });
      expect(res.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('exposes the MCP and challenge headers on /mcp responses, and an Mcp-* header no revision named yet', async () => {
    gw.mcp.handler = (_req, res) => {
      res.statusCode = 401;
      res.setHeader('Mcp-Future-Response', 'kept');
      res.setHeader(
        'WWW-Authenticate',
        'Bearer resource_metadata="http://localhost:3002/.well-known/oauth-protected-resource/mcp"',
      );
      res.end();
    };
    const res = await rawRequest(gw.port, '/mcp', { method: 'POST', headers: { origin: INSPECTOR } });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(INSPECTOR);
    const exposed = res.headers['access-control-expose-headers']!.toLowerCase();
    for (const name of [
      'www-authenticate',
      'mcp-session-id',
      'mcp-protocol-version',
      'mcp-method',
      'mcp-name',
      'last-event-id',
      'x-request-id',
      'mcp-future-response',
    ]) {
      expect(exposed).toContain(name);
    }
  });

  it('gives a disallowed origin no CORS headers on /mcp, preflight or not, without asking the upstream', async () => {
    const pre = await preflight(gw.port, '/mcp', 'https://evil.example', 'content-type');
    expect(corsHeaderNames(pre)).toEqual([]);
    expect(gw.mcp.seen).toEqual([]);

    const actual = await rawRequest(gw.port, '/mcp', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(actual.status).toBe(200);
    expect(corsHeaderNames(actual)).toEqual([]);
    expect(actual.headers.vary).toMatch(/Origin/);
  });

  it('never duplicates CORS headers an upstream also sends', async () => {
    const ownCors = (_req: unknown, res: import('node:http').ServerResponse) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'X-Upstream');
      res.setHeader('Vary', 'Accept-Encoding');
      res.end('{}');
    };
    gw.mcp.handler = ownCors;
    gw.authz.handler = ownCors;

    const mcp = await rawRequest(gw.port, '/mcp', { method: 'POST', headers: { origin: INSPECTOR } });
    const count = (res: RawResponse, name: string) =>
      res.rawHeaders.filter((header, i) => i % 2 === 0 && header.toLowerCase() === name).length;
    expect(count(mcp, 'access-control-allow-origin')).toBe(1);
    expect(count(mcp, 'access-control-expose-headers')).toBe(1);
    expect(mcp.headers['access-control-allow-origin']).toBe(INSPECTOR);
    expect(mcp.headers['access-control-allow-credentials']).toBeUndefined();
    expect(mcp.headers.vary).toBe('Origin, Accept-Encoding');

    const token = await rawRequest(gw.port, '/token', { method: 'POST', headers: { origin: INSPECTOR } });
    expect(count(token, 'access-control-allow-origin')).toBe(1);
    expect(token.headers['access-control-allow-origin']).toBe('*');
    expect(token.headers['access-control-allow-credentials']).toBeUndefined();

    const evil = await rawRequest(gw.port, '/mcp', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(corsHeaderNames(evil)).toEqual([]);
  });

  it('adds no CORS headers to the browser-navigated consent pages', async () => {
    const res = await rawRequest(gw.port, '/authorize?client_id=x', { headers: { origin: INSPECTOR } });
    expect(corsHeaderNames(res)).toEqual([]);
  });

  it('uses the configured origin list', async () => {
    const custom = await startGateway({ GATEWAY_CORS_ORIGINS: 'https://app.example' });
    try {
      const allowed = await preflight(custom.port, '/mcp', 'https://app.example', 'content-type');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
      const inspector = await preflight(custom.port, '/mcp', INSPECTOR, 'content-type');
      expect(corsHeaderNames(inspector)).toEqual([]);
    } finally {
      await custom.close();
    }
  });
});
