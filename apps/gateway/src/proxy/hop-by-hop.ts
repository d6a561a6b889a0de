import type { IncomingHttpHeaders } from 'node:http';

/**
 * RFC 9110 §7.6.1: these describe one connection, not the message, so a proxy must not forward them.
 * `Expect` is answered by the gateway's own server (100-continue) and must not be asked again upstream.
 * Transfer-Encoding is kept on requests: Node re-frames the body from it.
 */
const REQUEST_HOP_HEADERS = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
] as const;

/** Never removed even when a client lists them in Connection: the gateway needs them to route and forward. */
const PROTECTED = new Set([
  'host',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-request-id',
]);

/** Response fields the gateway never copies from an upstream: hop-by-hop ones, and those it owns. */
export const SKIPPED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'x-request-id',
]);

/** Names listed in a Connection header (RFC 9110 §7.6.1), lower-cased; empty for the usual values. */
export function connectionTokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  const lower = joined.toLowerCase();
  if (lower === 'keep-alive' || lower === 'close') return [];
  return lower
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token !== 'keep-alive' && token !== 'close');
}

/** Removes hop-by-hop request headers in place (the request object is not reused afterwards). */
export function stripRequestHopHeaders(headers: IncomingHttpHeaders): void {
  for (const token of connectionTokens(headers.connection)) {
    if (!PROTECTED.has(token)) delete headers[token];
  }
  for (const name of REQUEST_HOP_HEADERS) {
    if (headers[name] !== undefined) delete headers[name];
  }
}
