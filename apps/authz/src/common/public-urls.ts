import type { Request } from 'express';
import { resolveRequestBaseUrl, type PublicUrlSettings } from '@app/config';

/**
 * The issuer for this request: the gateway's base URL on the alias the client used (RFC 8414 §3.3 wants it to
 * equal the URL the client discovered metadata with).
 */
export function issuerFor(req: Request, settings: PublicUrlSettings): string {
  return resolveRequestBaseUrl(settings, req.headers);
}

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
