import type { RouteEntry } from './route-matcher';

export type UpstreamName = 'authz' | 'mcp';

/**
 * `any`: public, non-credentialed endpoints any web page may call (`Access-Control-Allow-Origin: *`).
 * `listed`: only the configured origins (the MCP resource and its metadata).
 * `none`: pages a browser navigates to, never fetched cross-origin.
 */
export type CorsMode = 'any' | 'listed' | 'none';

/** How the gateway shapes its own errors on the route: RFC 6749 §5.2 JSON, or a JSON-RPC 2.0 error. */
export type ErrorShape = 'oauth' | 'jsonrpc';

export interface GatewayRoute {
  /** Where the request goes; `local` routes are served by the gateway itself (home page, health probes). */
  target: UpstreamName | 'local';
  cors: CorsMode;
  errors: ErrorShape;
}

const authz = (cors: CorsMode): GatewayRoute => ({ target: 'authz', cors, errors: 'oauth' });
const local: GatewayRoute = { target: 'local', cors: 'none', errors: 'oauth' };

/** THE route table: the only paths the gateway answers. Everything else is a 404. */
export const ROUTES: readonly RouteEntry<GatewayRoute>[] = [
  // RFC 8414 §3.1: an issuer with a path component publishes its metadata at the well-known URI + that path.
  { path: '/.well-known/oauth-authorization-server', subpaths: true, value: authz('any') },
  // OpenID Connect Discovery 1.0 §4; MCP 2025-11-25 (authorization, §"Authorization Server Metadata
  // Discovery") also tries the path-inserted form "/.well-known/openid-configuration/<path>".
  { path: '/.well-known/openid-configuration', subpaths: true, value: authz('any') },
  { path: '/.well-known/jwks.json', value: authz('any') },
  // The authorization endpoint and the consent/login pages are top-level browser navigations and form posts.
  { path: '/authorize', subpaths: true, value: authz('none') },
  { path: '/login', subpaths: true, value: authz('none') },
  { path: '/logout', value: authz('none') },
  { path: '/token', value: authz('any') },
  { path: '/register', value: authz('any') },
  { path: '/revoke', value: authz('any') },
  { path: '/introspect', value: authz('any') },
  { path: '/auth/token', value: authz('any') },
  { path: '/docs', subpaths: true, value: authz('none') },
  { path: '/docs-json', value: authz('any') },
  { path: '/mcp', value: { target: 'mcp', cors: 'listed', errors: 'jsonrpc' } },
  // RFC 9728 §3.1: the metadata of resource "<base>/mcp" lives at "/.well-known/oauth-protected-resource/mcp";
  // the bare form serves clients that probe the root first.
  {
    path: '/.well-known/oauth-protected-resource',
    value: { target: 'mcp', cors: 'listed', errors: 'oauth' },
  },
  {
    path: '/.well-known/oauth-protected-resource/mcp',
    value: { target: 'mcp', cors: 'listed', errors: 'oauth' },
  },
  // A small page (or JSON) linking the MCP endpoint and the API docs, for whoever opens the bare URL.
  { path: '/', value: local },
  { path: '/healthz', value: local },
  { path: '/readyz', value: local },
];
