import {
  BUNDLED_MCP_PATH,
  PROTECTED_RESOURCE_METADATA_PATH,
  resourceMetadataPath,
  type ProtectedResource,
} from '@app/protected-resources';
import { RouteMatcher, type RouteEntry } from './route-matcher';

/** The pool of instances a route goes to: `authz`, `mcp` (the bundled server) or a resource's own path. */
export type UpstreamName = string;

/**
 * `any`: public, non-credentialed endpoints any web page may call (`Access-Control-Allow-Origin: *`).
 * `listed`: only the configured origins (the MCP resources and their metadata).
 * `none`: pages a browser navigates to, never fetched cross-origin.
 */
export type CorsMode = 'any' | 'listed' | 'none';

/** How the gateway shapes its own errors on the route: RFC 6749 §5.2 JSON, or a JSON-RPC 2.0 error. */
export type ErrorShape = 'oauth' | 'jsonrpc';

/** A protected MCP endpoint: its resources-file entry, its pool, and whether the gateway checks tokens on it. */
export interface ResourceRoute {
  readonly entry: ProtectedResource;
  readonly pool: UpstreamName;
  readonly enforced: boolean;
}

export interface GatewayRoute {
  /**
   * A pool name; `local`: served by the gateway's Nest routes (home page, health probes, the identity JWKS);
   * `self`: answered by the front door itself (the RFC 9728 metadata of a resource that does not verify tokens).
   */
  target: UpstreamName | 'local' | 'self';
  cors: CorsMode;
  errors: ErrorShape;
  /** On an MCP endpoint: the resource it serves. */
  resource?: ResourceRoute;
  /** On a `self` metadata route: the resource it describes. */
  metadataOf?: ProtectedResource;
}

/** Where the gateway publishes the public key of its X-MCP-Identity assertions (a JWKS, RFC 7517 §5). */
export const IDENTITY_JWKS_PATH = '/gateway/jwks.json';

const authz = (cors: CorsMode): GatewayRoute => ({ target: 'authz', cors, errors: 'oauth' });
const local: GatewayRoute = { target: 'local', cors: 'none', errors: 'oauth' };

/** The gateway's own routes, whatever the resources: OAuth on authz, health, the identity key set. */
const FIXED_ROUTES: readonly RouteEntry<GatewayRoute>[] = [
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
  // A small page (or JSON) linking the MCP endpoint and the API docs, for whoever opens the bare URL.
  { path: '/', value: local },
  { path: '/healthz', value: local },
  { path: '/readyz', value: local },
  { path: IDENTITY_JWKS_PATH, value: { target: 'local', cors: 'any', errors: 'oauth' } },
];

const FIXED = new RouteMatcher(FIXED_ROUTES);

/** Why a resource path cannot be used: it is, or lies under, one of the gateway's own routes. */
export function routeConflict(path: string): string | undefined {
  if (path === '/internal' || path.startsWith('/internal/')) return 'authz keeps /internal private';
  if (path.startsWith('/.well-known/')) return 'well-known URIs (RFC 8615) are not MCP endpoints';
  const taken = FIXED.match(path) ?? FIXED.match(resourceMetadataPath(path));
  return taken ? 'is taken by the gateway (an OAuth, health or key-set route)' : undefined;
}

/** The pool of a resource: the bundled server's (MCP_UPSTREAM_URL), or the resource's own upstreams. */
export const poolOf = (resource: ProtectedResource): UpstreamName =>
  resource.upstream === undefined ? 'mcp' : resource.path;

/**
 * THE route table: the only paths the gateway answers (everything else is a 404), built once at boot from the
 * fixed routes and the protected resources. Each resource gets its exact path and its RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource<path>` (§3.1), plus the root form for `/mcp`, which clients probe first.
 * The metadata of a resource that verifies tokens itself (`forward: token`, apps/mcp) is its own; the gateway
 * writes the others'.
 */
export function buildRoutes(
  resources: readonly ProtectedResource[],
  enforcing: boolean,
): RouteEntry<GatewayRoute>[] {
  const routes = [...FIXED_ROUTES];
  for (const entry of resources) {
    const pool = poolOf(entry);
    const resource = { entry, pool, enforced: enforcing };
    routes.push({ path: entry.path, value: { target: pool, cors: 'listed', errors: 'jsonrpc', resource } });
    const metadata: GatewayRoute =
      entry.forward === 'token'
        ? { target: pool, cors: 'listed', errors: 'oauth' }
        : { target: 'self', cors: 'listed', errors: 'oauth', metadataOf: entry };
    routes.push({ path: resourceMetadataPath(entry.path), value: metadata });
    if (entry.path === BUNDLED_MCP_PATH)
      routes.push({ path: PROTECTED_RESOURCE_METADATA_PATH, value: metadata });
  }
  return routes;
}
