import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsMode } from '../routing/route-table';

/**
 * Request headers a browser MCP client or OAuth client sends: RFC 6750 §2.1, MCP 2025-11-25 Streamable HTTP
 * (session, resumption) and MCP 2026-07-28 standard headers (SEP-2243); `Mcp-Param-*` are allowed per preflight.
 */
const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'Last-Event-ID',
  'Mcp-Method',
  'Mcp-Name',
  'X-Request-Id',
] as const;

/** Response headers a browser client must be able to read (RFC 6750 §3 challenges, the MCP headers). */
const EXPOSED_RESPONSE_HEADERS = [
  'WWW-Authenticate',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
  'X-Request-Id',
] as const;

const EXPOSED_LOWER = new Set<string>(EXPOSED_RESPONSE_HEADERS.map((name) => name.toLowerCase()));
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
const MAX_AGE_SECONDS = '600';
const MCP_HEADER = /^mcp-[a-z0-9-]+$/;

/**
 * CORS for every route, decided once at boot: header values are precomputed strings, and a request only
 * looks its origin up in a Set. Preflights (Fetch standard, "CORS protocol") are answered here and never
 * reach an upstream.
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly allowedHeaders = ALLOWED_REQUEST_HEADERS.join(', ');
  private readonly allowedLower = new Set(ALLOWED_REQUEST_HEADERS.map((name) => name.toLowerCase()));
  private readonly exposed = EXPOSED_RESPONSE_HEADERS.join(', ');

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins);
  }

  isListed(origin: string | undefined): origin is string {
    return origin !== undefined && this.origins.has(origin);
  }

  /** Headers for an actual (non-preflight) request on a route. */
  decorate(mode: CorsMode, req: IncomingMessage, res: ServerResponse): void {
    if (mode === 'any') {
      // Sent whether or not the request has an Origin, so a cached response is right for every client.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Expose-Headers', this.exposed);
    } else if (mode === 'listed') {
      res.setHeader('Vary', 'Origin');
      const origin = req.headers.origin;
      if (this.isListed(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Expose-Headers', this.exposed);
      }
    }
  }

  /** Answers an OPTIONS preflight with 204; a disallowed origin gets no CORS headers, so the browser refuses. */
  answerPreflight(mode: CorsMode, req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (mode === 'listed') res.setHeader('Vary', 'Origin, Access-Control-Request-Headers');
    else if (mode === 'any') res.setHeader('Vary', 'Access-Control-Request-Headers');
    if (mode === 'any' || (mode === 'listed' && this.isListed(origin))) {
      res.setHeader('Access-Control-Allow-Origin', mode === 'any' ? '*' : (origin as string));
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', this.allowedHeadersFor(req));
      res.setHeader('Access-Control-Max-Age', MAX_AGE_SECONDS);
    }
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
  }

  /** The fixed list, plus any requested `Mcp-*` header, so headers a later MCP revision adds keep working. */
  private allowedHeadersFor(req: IncomingMessage): string {
    const requested = req.headers['access-control-request-headers'];
    if (!requested || !requested.toLowerCase().includes('mcp-')) return this.allowedHeaders;
    const extra = requested
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => MCP_HEADER.test(name) && !this.allowedLower.has(name));
    return extra.length === 0
      ? this.allowedHeaders
      : `${this.allowedHeaders}, ${[...new Set(extra)].join(', ')}`;
  }
}

/**
 * An upstream's `Mcp-*` response header the fixed list does not name (one a later MCP revision adds) is exposed
 * too, wherever the gateway already exposes headers on that response. `name` is lower-case, as Node gives it.
 */
export function exposeMcpResponseHeader(res: ServerResponse, name: string): void {
  if (EXPOSED_LOWER.has(name) || !MCP_HEADER.test(name)) return;
  const exposed = res.getHeader('access-control-expose-headers');
  if (exposed !== undefined) res.setHeader('Access-Control-Expose-Headers', `${String(exposed)}, ${name}`);
}
