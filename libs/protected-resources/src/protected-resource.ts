/**
 * How the caller's identity reaches an upstream (README "Protect your own MCP server"):
 * - `token`: the access token is forwarded; the upstream verifies it itself, as apps/mcp does;
 * - `headers`: `Authorization` is removed and the gateway adds `X-MCP-*` headers and a signed `X-MCP-Identity`;
 * - `none`: `Authorization` is removed and nothing is added.
 */
export const FORWARD_MODES = ['token', 'headers', 'none'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

/** Resources whose URI matches `pattern` (`*` stands for any run of characters) need `scopes` too. */
export interface ResourcePattern {
  readonly pattern: string;
  readonly scopes: readonly string[];
  readonly matches: (uri: string) => boolean;
}

/** One entry of GATEWAY_RESOURCES_FILE, validated: an MCP server the gateway protects at `path`. */
export interface ProtectedResource {
  /** The public path, matched exactly; the resource identifier (RFC 8707) is the public base URL + this path. */
  readonly path: string;
  /** The upstream instances (several: a pool); undefined means the bundled MCP server (MCP_UPSTREAM_URL). */
  readonly upstream?: readonly string[];
  /** Shown on the consent page and as `resource_name` in the resource metadata (RFC 9728 §2). */
  readonly name: string;
  readonly description?: string;
  /** Scope names this resource defines beyond the six `mcp:*` scopes. */
  readonly scopes: readonly string[];
  /** Per-name scopes added to what the method needs. */
  readonly tools: ReadonlyMap<string, readonly string[]>;
  readonly prompts: ReadonlyMap<string, readonly string[]>;
  readonly resources: readonly ResourcePattern[];
  /** When set, only these tools exist for clients; `denyTools` are hidden whatever the token. */
  readonly allowTools?: ReadonlySet<string>;
  readonly denyTools: ReadonlySet<string>;
  readonly forward: ForwardMode;
}

/** The path of the bundled MCP server (apps/mcp checks `aud` = base + this path itself). */
export const BUNDLED_MCP_PATH = '/mcp';

/** Without GATEWAY_RESOURCES_FILE: `/mcp` is the bundled server, which verifies tokens itself. */
export const DEFAULT_RESOURCE: ProtectedResource = Object.freeze({
  path: BUNDLED_MCP_PATH,
  name: 'MCP Auth Gateway demo server',
  scopes: [],
  tools: new Map(),
  prompts: new Map(),
  resources: [],
  denyTools: new Set<string>(),
  forward: 'token',
});

/** RFC 9728 §3.1: the metadata of resource `<base><path>` is at the well-known URI with the path appended. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

export function resourceMetadataPath(resourcePath: string): string {
  return `${PROTECTED_RESOURCE_METADATA_PATH}${resourcePath}`;
}
