import type { IncomingMessage } from 'node:http';
import { unauthorized, type TokenRefusal } from './token-refusal';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(\s|$)/i;
const FORM = /^application\/x-www-form-urlencoded/i;

const REFUSED = {
  elsewhere: unauthorized(
    'invalid_request',
    'access tokens are accepted only in the Authorization header, never in the query string or body',
  ),
  missing: unauthorized(undefined, 'a Bearer access token is required in the Authorization header'),
  scheme: unauthorized('invalid_request', 'the Authorization header must use the Bearer scheme'),
  malformed: unauthorized('invalid_token', 'the access token is malformed'),
} as const;

/**
 * The bearer token of a request, or why there is none. Only the Authorization header counts (MCP authorization
 * "Token Requirements"; OAuth 2.1 §5.2 drops RFC 6750 §2.3's query parameter): a token offered in the query
 * string or a form body (RFC 6750 §2.2) is refused with invalid_request even next to a valid header, so a
 * client learns it leaks tokens into logs.
 */
export function readBearerToken(req: IncomingMessage): string | TokenRefusal {
  const url = req.url ?? '';
  const queryAt = url.indexOf('?');
  if (queryAt !== -1 && new URLSearchParams(url.slice(queryAt)).has('access_token')) return REFUSED.elsewhere;
  if (FORM.test(req.headers['content-type'] ?? '')) return REFUSED.elsewhere;
  const header = req.headers.authorization;
  if (!header) return REFUSED.missing;
  if (!BEARER_SCHEME.test(header)) return REFUSED.scheme;
  const match = BEARER.exec(header.trim());
  return match ? match[1] : REFUSED.malformed;
}
