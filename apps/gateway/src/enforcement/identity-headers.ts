import type { IncomingHttpHeaders } from 'node:http';
import type { VerifiedAccessToken } from '@app/resource-server';

/** The X-MCP-* request headers of `forward: headers`, lower case as Node keeps them. */
export type IdentityHeaders = Readonly<Record<string, string>>;

const PREFIX = 'x-mcp-';

/**
 * A header value as MCP 2026-07-28 encodes `Mcp-Name` (transports, "Value Encoding"): as is when it is printable
 * ASCII, else `=?base64?<UTF-8 in Base64>?=`, so a name or group in any script survives HTTP/1.1 field rules.
 */
export function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && value.trim() === value
    ? value
    : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * What an upstream with `forward: headers` learns of the caller (README "Protect your own MCP server"): plain
 * headers for convenience, and `X-MCP-Identity`, the signed assertion that is the only one to trust when the
 * upstream can be reached other than through the gateway.
 */
export function identityHeaders(token: VerifiedAccessToken, assertion: string): IdentityHeaders {
  const headers: Record<string, string> = {
    'x-mcp-subject': headerValue(token.subject),
    'x-mcp-client-id': headerValue(token.clientId),
    'x-mcp-scopes': token.scopes.join(' '),
    'x-mcp-identity': assertion,
  };
  const { idp, email, email_verified: verified, name, groups } = token.claims;
  if (typeof idp === 'string') headers['x-mcp-idp'] = headerValue(idp);
  if (typeof email === 'string') headers['x-mcp-email'] = headerValue(email);
  if (typeof verified === 'boolean') headers['x-mcp-email-verified'] = String(verified);
  if (typeof name === 'string') headers['x-mcp-name'] = headerValue(name);
  if (Array.isArray(groups)) headers['x-mcp-groups'] = headerValue(JSON.stringify(groups));
  return Object.freeze(headers);
}

/**
 * Removes every X-MCP-* header a client sent: only the gateway speaks for the caller. Node lower-cases names, so
 * a prefix test on each is enough.
 */
export function stripIdentityHeaders(headers: IncomingHttpHeaders): void {
  for (const name in headers) if (name.startsWith(PREFIX)) delete headers[name];
}
