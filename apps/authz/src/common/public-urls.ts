import type { Request } from 'express';
import { resolvePublicBaseUrl, resolveRequestBaseUrl, type PublicUrlSettings } from '@app/config';

/**
 * The issuer for this request: the gateway's base URL on the alias the client used (RFC 8414 §3.3 wants it to
 * equal the URL the client discovered metadata with).
 */
export function issuerFor(req: Request, settings: PublicUrlSettings): string {
  return resolveRequestBaseUrl(settings, req.headers);
}

/** The MCP server's resource identifier (RFC 8707 / RFC 9728) under a base URL. */
export const mcpResourceFor = (issuer: string) => `${issuer}/mcp`;

/**
 * RFC 8707 §2: a resource is acceptable only if it is the gateway's /mcp under PUBLIC_URL or under an alias
 * (any port: the gateway may listen elsewhere locally). Resolving the resource's own host with the public-URL
 * rule and getting the same base back is exactly that test.
 */
export function isKnownResource(resource: string, settings: PublicUrlSettings): boolean {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return false;
  }
  if (url.hash || url.search || url.username || url.password) return false;
  const base = resolvePublicBaseUrl(settings, {
    host: url.host,
    forwardedProto: url.protocol.replace(':', ''),
  });
  return resource === mcpResourceFor(base);
}
