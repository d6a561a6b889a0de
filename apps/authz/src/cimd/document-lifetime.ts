import type { IncomingHttpHeaders } from 'node:http';

/** Used when the document says nothing about caching (RFC 9111 §4.2.2 leaves the heuristic to the cache). */
const DEFAULT_SECONDS = 300;

function directive(cacheControl: string, name: string): string | undefined | null {
  for (const part of cacheControl.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key.toLowerCase() === name) return value === undefined ? null : value.replace(/^"|"$/g, '');
  }
  return undefined;
}

/**
 * How long a fetched metadata document may be reused (CIMD §5.2): its RFC 9111 freshness lifetime (max-age,
 * else Expires minus Date, minus Age), clamped to the operator's bounds. `no-store` and `no-cache` count as 0, so
 * the lower bound applies: a document is never fetched once per request, which would let a client make this
 * server hammer its host.
 */
export function documentLifetimeSeconds(
  headers: IncomingHttpHeaders,
  bounds: { min: number; max: number },
  now = Date.now(),
): number {
  const cacheControl = String(headers['cache-control'] ?? '');
  const age = Number(headers.age) > 0 ? Number(headers.age) : 0;
  let lifetime: number;
  if (
    directive(cacheControl, 'no-store') !== undefined ||
    directive(cacheControl, 'no-cache') !== undefined
  ) {
    lifetime = 0;
  } else if (/^\d+$/.test(directive(cacheControl, 'max-age') ?? '')) {
    lifetime = Number(directive(cacheControl, 'max-age')) - age;
  } else if (headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    const date = headers.date === undefined ? now : Date.parse(headers.date);
    lifetime = Number.isNaN(expires) || Number.isNaN(date) ? 0 : Math.floor((expires - date) / 1000) - age;
  } else {
    lifetime = DEFAULT_SECONDS;
  }
  return Math.min(bounds.max, Math.max(bounds.min, lifetime));
}
