import { DEFAULT_RESOURCE, parseProtectedResources } from '@app/protected-resources';
import { RouteMatcher } from './route-matcher';
import { buildRoutes, routeConflict, type GatewayRoute } from './route-table';

describe('RouteMatcher on the gateway route table', () => {
  const matcher = new RouteMatcher<GatewayRoute>(buildRoutes([DEFAULT_RESOURCE], false));
  const targetOf = (path: string) => matcher.match(path)?.route.target;

  it.each([
    ['/.well-known/oauth-authorization-server', 'authz'],
    ['/.well-known/oauth-authorization-server/tenant', 'authz'],
    ['/.well-known/oauth-authorization-server/a/b', 'authz'],
    ['/.well-known/openid-configuration', 'authz'],
    ['/.well-known/openid-configuration/tenant', 'authz'],
    ['/.well-known/jwks.json', 'authz'],
    ['/authorize', 'authz'],
    ['/authorize/decision', 'authz'],
    ['/login', 'authz'],
    ['/login/callback', 'authz'],
    ['/logout', 'authz'],
    ['/token', 'authz'],
    ['/register', 'authz'],
    ['/revoke', 'authz'],
    ['/introspect', 'authz'],
    ['/auth/token', 'authz'],
    ['/docs', 'authz'],
    ['/docs/', 'authz'],
    ['/docs/swagger-ui.css', 'authz'],
    ['/docs-json', 'authz'],
    ['/mcp', 'mcp'],
    ['/.well-known/oauth-protected-resource', 'mcp'],
    ['/.well-known/oauth-protected-resource/mcp', 'mcp'],
    ['/healthz', 'local'],
    ['/readyz', 'local'],
    ['/gateway/jwks.json', 'local'],
    ['/', 'local'],
  ])('routes %s to %s', (path, target) => {
    expect(targetOf(path)).toBe(target);
  });

  it.each([
    '/mcpx',
    '/mcp/',
    '/mcp/extra',
    '/MCP',
    '/tokens',
    '/token/',
    '/token/../admin',
    '/%2e%2e/token',
    '/mcp%2f..',
    '/internal/token-status',
    '/auth',
    '/auth/token/x',
    '/.well-known',
    '/.well-known/jwks.json/x',
    '/.well-known/oauth-protected-resource/other',
    '/.well-known/oauth-protected-resource/mcp/x',
    '/docs-jsonx',
    '/healthz/',
    '/authorizex',
    '//mcp',
  ])('has no route for %s', (path) => {
    expect(matcher.match(path)).toBeUndefined();
  });

  it('matches an encoded spelling and forwards the canonical path', () => {
    expect(matcher.match('/%6dcp')).toEqual({
      route: expect.objectContaining({ target: 'mcp' }),
      path: '/mcp',
      pattern: '/mcp',
    });
  });

  it('names the route-table entry that matched, never the raw path (a bounded metrics label)', () => {
    expect(matcher.match('/docs/swagger-ui.css')?.pattern).toBe('/docs/*');
    expect(matcher.match('/authorize/anything/else')?.pattern).toBe('/authorize/*');
    expect(matcher.match('/.well-known/oauth-authorization-server')?.pattern).toBe(
      '/.well-known/oauth-authorization-server',
    );
    expect(matcher.match('/')).toEqual({
      route: expect.objectContaining({ target: 'local' }),
      path: '/',
      pattern: '/',
    });
  });

  it('uses JSON-RPC errors on /mcp and OAuth errors on the resource metadata', () => {
    expect(matcher.match('/mcp')?.route.errors).toBe('jsonrpc');
    expect(matcher.match('/.well-known/oauth-protected-resource/mcp')?.route.errors).toBe('oauth');
  });

  it('routes each resource of a resources file to its pool, and serves the metadata of non-token ones itself', () => {
    const resources = parseProtectedResources([
      { path: '/mcp' },
      { path: '/echo/mcp', upstream: 'http://127.0.0.1:1/mcp' },
      { path: '/tokens/mcp', upstream: 'http://127.0.0.1:2/mcp', forward: 'token' },
    ]);
    const table = new RouteMatcher<GatewayRoute>(buildRoutes(resources, true));
    const route = (path: string) => table.match(path)?.route;
    expect(route('/mcp')).toMatchObject({ target: 'mcp', resource: { pool: 'mcp', enforced: true } });
    expect(route('/echo/mcp')).toMatchObject({
      target: '/echo/mcp',
      errors: 'jsonrpc',
      resource: { pool: '/echo/mcp', enforced: true, entry: { path: '/echo/mcp' } },
    });
    expect(route('/.well-known/oauth-protected-resource/echo/mcp')).toMatchObject({
      target: 'self',
      metadataOf: { path: '/echo/mcp' },
    });
    expect(route('/.well-known/oauth-protected-resource/tokens/mcp')?.target).toBe('/tokens/mcp');
    expect(route('/.well-known/oauth-protected-resource')?.target).toBe('mcp');
    expect(route('/echo')).toBeUndefined();
    expect(route('/echo/mcp/x')).toBeUndefined();
  });

  it('refuses resource paths that are, or lie under, the gateway’s own routes', () => {
    for (const path of [
      '/token',
      '/docs/mcp',
      '/authorize/mcp',
      '/internal/x',
      '/.well-known/mcp',
      '/healthz',
    ])
      expect(routeConflict(path)).toBeDefined();
    for (const path of ['/mcp', '/echo/mcp', '/tokens/mcp', '/gateway'])
      expect(routeConflict(path)).toBeUndefined();
  });

  it('refuses a route table with a duplicate or a non-literal path', () => {
    expect(
      () =>
        new RouteMatcher([
          { path: '/a', value: 1 },
          { path: '/a', value: 2 },
        ]),
    ).toThrow(/twice/);
    expect(() => new RouteMatcher([{ path: '/a/../b', value: 1 }])).toThrow(/plain/);
    expect(() => new RouteMatcher([{ path: '/a/', value: 1 }])).toThrow(/plain/);
  });
});
