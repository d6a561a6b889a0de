import { RouteMatcher } from './route-matcher';
import { ROUTES, type GatewayRoute } from './route-table';

describe('RouteMatcher on the gateway route table', () => {
  const matcher = new RouteMatcher<GatewayRoute>(ROUTES);
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
