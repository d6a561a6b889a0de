import {
  BUNDLED_MCP_PATH,
  DEFAULT_RESOURCE,
  scopesSupported,
  type ProtectedResource,
} from '@app/protected-resources';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { OFFLINE_ACCESS } from './grantable-scopes';
import { canonicalResource } from './public-urls';

/** A resource this server issues tokens for, as reached through one issuer (alias). */
export interface KnownResource {
  /** The identifier as the resource metadata writes it: the token's `aud` (RFC 8707, RFC 9728 §2). */
  readonly url: string;
  readonly entry: ProtectedResource;
}

/**
 * The protected resources of GATEWAY_RESOURCES_FILE (the bundled `/mcp` without one), as authz needs them: each
 * `path` under the request's issuer is an acceptable RFC 8707 `resource`, and each resource's own scopes are
 * grantable for it. Built once at boot from the same file and parser as the gateway's.
 */
export class ResourceCatalog {
  /** Every scope this server grants: the MCP scopes, every resource's own, and offline_access. */
  readonly grantableScopes: readonly string[];
  /** What a client may hold for some resource: the grantable scopes but offline_access. */
  readonly resourceScopes: readonly string[];
  private readonly grantable: ReadonlySet<string>;
  private readonly byPath: ReadonlyMap<string, ProtectedResource>;
  /** Longest first, so the issuer of a stored resource is found by its most specific path. */
  private readonly paths: readonly string[];
  private readonly fallback: ProtectedResource;

  constructor(readonly entries: readonly ProtectedResource[]) {
    this.byPath = new Map(entries.map((entry) => [entry.path, entry]));
    this.paths = [...this.byPath.keys()].sort((a, b) => b.length - a.length);
    this.fallback = this.byPath.get(BUNDLED_MCP_PATH) ?? entries[0];
    this.resourceScopes = [...new Set([...ALL_MCP_SCOPES, ...entries.flatMap((entry) => entry.scopes)])];
    this.grantableScopes = [...this.resourceScopes, OFFLINE_ACCESS];
    this.grantable = new Set(this.grantableScopes);
  }

  isGrantable(scope: string): boolean {
    return this.grantable.has(scope);
  }

  /** The resource a request without `resource` gets: `/mcp` when listed, else the first entry. */
  defaultFor(issuer: string): KnownResource {
    return { url: `${issuer}${this.fallback.path}`, entry: this.fallback };
  }

  /**
   * RFC 8707 §2: a resource is one of ours as reached through this request's issuer (same scheme, alias and port),
   * compared in canonical form (case of scheme and host, default port); the path is exact.
   */
  find(resource: string, issuer: string): KnownResource | undefined {
    const canonical = canonicalResource(resource);
    if (canonical === undefined) return undefined;
    const base = canonicalResource(issuer);
    if (base === undefined || !canonical.startsWith(base)) return undefined;
    const entry = this.byPath.get(canonical.slice(base.length));
    return entry && { url: `${issuer}${entry.path}`, entry };
  }

  /** The entry of a stored resource URL (a grant's), whichever alias it was authorized on. */
  entryOf(resource: string): ProtectedResource | undefined {
    const path = this.paths.find((candidate) => resource.endsWith(candidate));
    return path === undefined ? undefined : this.byPath.get(path);
  }

  /** The issuer a grant's resource was authorized at: the resource URL without its path. */
  issuerOf(resource: string): string | undefined {
    const entry = this.entryOf(resource);
    return entry && resource.slice(0, -entry.path.length);
  }

  /** Whether `suffix` is one of the resource paths under `issuerPath` (RFC 8414 §3.1 path-inserted metadata). */
  isResourcePath(suffix: string, issuerPath: string): boolean {
    return suffix.startsWith(issuerPath) && this.byPath.has(suffix.slice(issuerPath.length));
  }

  /** The scopes a grant for this resource may carry: the MCP scopes, the resource's own, and offline_access. */
  scopesFor(entry: ProtectedResource): ReadonlySet<string> {
    return new Set([...scopesSupported(entry), OFFLINE_ACCESS]);
  }
}

/** The catalog without GATEWAY_RESOURCES_FILE: the bundled `/mcp` alone. */
export const BUNDLED_RESOURCES = new ResourceCatalog([DEFAULT_RESOURCE]);
