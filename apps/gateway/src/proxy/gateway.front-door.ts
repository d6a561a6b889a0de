import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { injectTraceHeaders } from '@app/observability';
import { REQUEST_ID_HEADER, type FrontDoor } from '@app/runtime';
import { gatewayConfig } from '../config/gateway.config';
import { CorsPolicy } from '../cors/cors-policy';
import { answerResourceMetadata } from '../enforcement/resource-metadata';
import { RouteMatcher } from '../routing/route-matcher';
import { buildRoutes, type GatewayRoute } from '../routing/route-table';
import { ForwardedHeaders } from './forwarded-headers';
import { missingHost, notFound, payloadTooLarge, repeatedHost, sendGatewayError } from './gateway-errors';
import { stripRequestHopHeaders } from './hop-by-hop';
import { McpRoutes } from './mcp-routes.service';
import { UpstreamProxyService } from './upstream-proxy.service';

/**
 * The gateway's front door: every request but the gateway's own routes (health probes, served by Nest). It
 * matches the path against THE route table, answers 404s and CORS preflights, enforces the body limit, hands
 * the MCP endpoints to McpRoutes (affinity, and the token checks of protected resources), writes the metadata
 * of the resources it protects, and streams everything else to its upstream. Skipping Express's router and
 * Nest's middleware chain for proxied traffic more than doubles throughput. Bodies never meet Express: only a
 * checked MCP request's body is read, by the ResourceGuard, within the body limit.
 */
@Injectable()
export class GatewayFrontDoor implements FrontDoor {
  private readonly matcher: RouteMatcher<GatewayRoute>;
  private readonly cors: CorsPolicy;
  private readonly forwarded: ForwardedHeaders;
  private readonly maxBodyBytes: number;

  constructor(
    @Inject(gatewayConfig.KEY) private readonly config: ConfigType<typeof gatewayConfig>,
    @Inject(UpstreamProxyService) private readonly proxy: UpstreamProxyService,
    private readonly mcp: McpRoutes,
  ) {
    this.matcher = new RouteMatcher<GatewayRoute>(buildRoutes(config.resources, config.enforcing));
    this.cors = new CorsPolicy(config.corsOrigins);
    this.forwarded = new ForwardedHeaders(config.trustedProxies);
    this.maxBodyBytes = config.maxBodyBytes;
  }

  matches(_req: IncomingMessage, path: string): boolean {
    return this.matcher.match(path)?.route.target !== 'local';
  }

  /** The route-table entry, so metrics and spans count `/docs/*` once, not per file. */
  routeOf(path: string): string {
    return this.matcher.match(path)?.pattern ?? '';
  }

  answersWithoutBody(req: IncomingMessage): boolean {
    return this.declaresTooLarge(req);
  }

  /** The steps, in order: route, CORS, Host, body limit, forwarded headers, then the upstream. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void> {
    // matches() keeps no state; walking the segment tree again costs well under a microsecond.
    const match = this.matcher.match(path);
    if (!match) return sendGatewayError(res, 'oauth', notFound());
    const { route } = match;

    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      return this.cors.answerPreflight(route.cors, req, res);
    }
    this.cors.decorate(route.cors, req, res);
    // Node already refuses HTTP/1.1 without Host; an HTTP/1.0 request may still omit it.
    if (req.headers.host === undefined) return sendGatewayError(res, route.errors, missingHost());
    if (hasRepeatedHost(req.rawHeaders)) return sendGatewayError(res, route.errors, repeatedHost(), true);

    if (this.declaresTooLarge(req)) {
      // The body is never read: close the connection rather than drain it.
      return sendGatewayError(res, route.errors, payloadTooLarge(this.maxBodyBytes), true);
    }

    stripRequestHopHeaders(req.headers);
    this.forwarded.apply(req);
    // The id the request logger assigned (a client's well-formed one, else fresh): logs and upstreams share it.
    req.headers[REQUEST_ID_HEADER] = String(req.id);
    // W3C Trace Context: the upstream's parent is the gateway's span (when tracing; else the client's passes).
    injectTraceHeaders(req.headers);
    // Forward exactly the path that was matched, so the upstream cannot read a looser spelling of it.
    if (match.path !== path) req.url = match.path + (req.url ?? '').slice(path.length);
    if (route.resource) return this.mcp.handle(req, res, route);
    if (route.metadataOf) return answerResourceMetadata(req, res, route.metadataOf, this.config.publicUrl);

    const body = this.proxy.bodyFor(req, res, route);
    if (!(body instanceof Promise)) return this.proxy.forward(req, res, route, { body });
    return body.then((read) => {
      if (read !== null) this.proxy.forward(req, res, route, { body: read });
    });
  }

  private declaresTooLarge(req: IncomingMessage): boolean {
    const declared = req.headers['content-length'];
    return declared !== undefined && Number(declared) > this.maxBodyBytes;
  }
}

/** Node keeps the first of several Host fields; RFC 9112 §3.2 requires 400 for more than one. */
function hasRepeatedHost(rawHeaders: readonly string[]): boolean {
  let seen = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 4 && name.toLowerCase() === 'host') {
      if (seen) return true;
      seen = true;
    }
  }
  return false;
}
