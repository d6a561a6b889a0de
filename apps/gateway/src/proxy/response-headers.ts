import type { IncomingMessage, ServerResponse } from 'node:http';
import { exposeMcpResponseHeader } from '../cors/cors-policy';
import { connectionTokens, SKIPPED_RESPONSE_HEADERS } from './hop-by-hop';

/**
 * Copies an upstream's response headers onto the client response, leaving out hop-by-hop fields
 * (RFC 9110 §7.6.1) and every `Access-Control-*` field: CORS is decided by the gateway alone, so a header
 * an upstream also sets can never appear twice. `Vary` values are merged with the gateway's own, and an
 * unknown `Mcp-*` header passes and is exposed like the known ones.
 */
export function copyResponseHeaders(proxyRes: IncomingMessage, res: ServerResponse): void {
  const headers = proxyRes.headers;
  const listed = connectionTokens(headers.connection);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || SKIPPED_RESPONSE_HEADERS.has(name)) continue;
    if (name.startsWith('access-control-')) continue;
    if (listed.length > 0 && listed.includes(name)) continue;
    if (name.startsWith('mcp-')) exposeMcpResponseHeader(res, name);
    if (name === 'vary') {
      res.setHeader('Vary', mergeVary(res.getHeader('vary'), value));
      continue;
    }
    res.setHeader(name, value);
  }
}

function mergeVary(own: ReturnType<ServerResponse['getHeader']>, upstream: string | string[]): string {
  const theirs = Array.isArray(upstream) ? upstream.join(', ') : upstream;
  if (own === undefined) return theirs;
  const names = new Map<string, string>();
  for (const name of `${String(own)}, ${theirs}`.split(',')) {
    const trimmed = name.trim();
    if (trimmed !== '') names.set(trimmed.toLowerCase(), trimmed);
  }
  return names.has('*') ? '*' : [...names.values()].join(', ');
}

export function isEventStream(proxyRes: IncomingMessage): boolean {
  const type = proxyRes.headers['content-type'];
  return type !== undefined && type.toLowerCase().startsWith('text/event-stream');
}
