import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { REQUEST_ID_HEADER, createHttpLogger, requestIdFor, takeOverRequestListener } from '@app/runtime';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { CorsPolicy } from '../cors/cors-policy';
import { RouteMatcher } from '../routing/route-matcher';
import { ROUTES, type GatewayRoute } from '../routing/route-table';
import { BodyLimit } from './body-limit';
import { ForwardedHeaders } from './forwarded-headers';
import { missingHost, notFound, payloadTooLarge, sendGatewayError } from './gateway-errors';
import { stripRequestHopHeaders } from './hop-by-hop';
import { UpstreamProxyService } from './upstream-proxy.service';

/**
 * The gateway's front door: the HTTP server's request listener, ahead of Express. It matches the path
 * against THE route table, answers 404s and CORS preflights, enforces the body limit, and streams
 * everything else to its upstream. Only the gateway's own routes (health probes) continue into Nest.
 * Skipping Express's router and Nest's middleware chain for proxied traffic more than doubles throughput;
 * such traffic is logged by the same pino-http setup, over the same pino logger, that Nest uses.
 * No body is ever parsed: the app is created without body parsers, and proxied bodies never meet Express.
 */
@Injectable()
export class FrontDoorService {
  private readonly matcher = new RouteMatcher<GatewayRoute>(ROUTES);
  private readonly cors: CorsPolicy;
  private readonly forwarded: ForwardedHeaders;
  private readonly maxBodyBytes: number;
  private httpLogger?: HttpLogger;
  private nest?: RequestListener;

  constructor(
    @Inject(ConfigService) config: ConfigService,
    @Inject(UpstreamProxyService) private readonly proxy: UpstreamProxyService,
    @Inject(PARAMS_PROVIDER_TOKEN) private readonly logParams: Params,
  ) {
    const settings = config.getOrThrow<GatewayConfig>(GATEWAY_CONFIG);
    this.cors = new CorsPolicy(settings.corsOrigins);
    this.forwarded = new ForwardedHeaders(settings.trustedProxies);
    this.maxBodyBytes = settings.maxBodyBytes;
  }

  /** Takes over the server's request listener; call once the app is initialised (logger and routes exist). */
  mount(server: Server): void {
    this.httpLogger = createHttpLogger(this.logParams);
    this.nest = takeOverRequestListener(server, (req, res) => this.handle(req, res));
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const match = this.matcher.match(rawPath);
    const route = match?.route;
    if (route?.target === 'local') return this.nest!(req, res);

    this.httpLogger!(req, res);
    if (!match || !route) return sendGatewayError(res, 'oauth', notFound());

    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      return this.cors.answerPreflight(route.cors, req, res);
    }
    this.cors.decorate(route.cors, req, res);
    // Node already refuses HTTP/1.1 without Host; an HTTP/1.0 request may still omit it.
    if (req.headers.host === undefined) return sendGatewayError(res, route.errors, missingHost());

    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > this.maxBodyBytes) {
      // The body is never read: close the connection rather than drain it.
      return sendGatewayError(res, route.errors, payloadTooLarge(this.maxBodyBytes), true);
    }
    let body: BodyLimit | undefined;
    if (declared === undefined && req.headers['transfer-encoding'] !== undefined) {
      body = new BodyLimit(this.maxBodyBytes, () => {
        req.unpipe(body);
        req.resume();
        this.proxy.abandon(res, payloadTooLarge(this.maxBodyBytes), true);
      });
      req.pipe(body);
    }

    stripRequestHopHeaders(req.headers);
    this.forwarded.apply(req);
    req.headers[REQUEST_ID_HEADER] = this.requestId(req, res);
    // Forward exactly the path that was matched, so the upstream cannot read a looser spelling of it.
    if (match.path !== rawPath) req.url = queryAt === -1 ? match.path : match.path + url.slice(queryAt);
    this.proxy.forward(req, res, route, body);
  }

  /** The id the request logger assigned (a client's well-formed one, else fresh); logs and upstreams share it. */
  private requestId(req: IncomingMessage, res: ServerResponse): string {
    const id = (req as { id?: unknown }).id;
    if (typeof id === 'string') return id;
    const fresh = requestIdFor(req);
    res.setHeader(REQUEST_ID_HEADER, fresh);
    return fresh;
  }
}
