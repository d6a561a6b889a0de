import type { Request } from 'express';
import { resolveRequestBaseUrl, type PublicUrlSettings } from '@app/config';

/**
 * The issuer for this request: the gateway's base URL on the alias the client used (RFC 8414 §3.3 wants it to
 * equal the URL the client discovered metadata with).
 */
export function issuerFor(req: Request, settings: PublicUrlSettings): string {
  return resolveRequestBaseUrl(settings, req.headers);
}

/** The MCP server's resource identifier (RFC 8707 / RFC 9728) under a base URL. */
export const mcpResourceFor = (issuer: string) => `${issuer}/mcp`;

/** The issuer a grant's resource was authorized at (its inverse; undefined for a resource of another shape). */
export const issuerOfMcpResource = (resource: string) =>
  resource.endsWith('/mcp') ? resource.slice(0, -'/mcp'.length) : undefined;

/**
 * A resource indicator in canonical form (RFC 3986 §6.2.2, §6.2.3): scheme and host in lower case, no default
 * port, and no trailing "/" when the path is empty, so `HTTPS://Example.com/` and `https://example.com` are one
 * resource. The rest of the path is compared as written. Undefined for what RFC 8707 §2 refuses: relative URIs,
 * fragments; and for queries and userinfo, which no resource of this server has.
 */
export function canonicalResource(resource: string): string | undefined {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || resource.includes('#')) return undefined;
  if (url.search || resource.includes('?') || url.username || url.password) return undefined;
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * RFC 8707 §2: the resource must be the MCP server as reached through this request: the same scheme, host alias
 * and port as the issuer, so the token's `aud` and `iss` always agree. Returns the resource as this server writes
 * it (the `resource` of its protected resource metadata, which the MCP server checks `aud` against), or undefined
 * for any other resource.
 */
export function knownResource(resource: string, issuer: string): string | undefined {
  const ours = mcpResourceFor(issuer);
  const canonical = canonicalResource(resource);
  return canonical !== undefined && canonical === canonicalResource(ours) ? ours : undefined;
}
