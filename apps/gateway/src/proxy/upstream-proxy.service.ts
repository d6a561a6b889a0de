import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import { MetricsRegistry } from '@app/observability';
import { gatewayConfig } from '../config/gateway.config';
import type { GatewayRoute, UpstreamName } from '../routing/route-table';
import { copyResponseHeaders, isEventStream } from './response-headers';
import { sendGatewayError, upstreamTimeout, upstreamUnavailable, type GatewayError } from './gateway-errors';
import { upstreamMetrics, type UpstreamMetrics } from './upstream-metrics';

/** What the gateway knows about one proxied exchange, kept on the response object. */
interface Exchange {
  route: GatewayRoute;
  upstream: Upstream;
  proxyReq?: ClientRequest;
  timer?: NodeJS.Timeout;
  /** performance.now() when the exchange began, for the upstream latency. */
  started: number;
  /** The gateway no longer wants the upstream's answer: client gone, or the gateway answered itself. */
  abandoned: boolean;
}

export interface Upstream {
  name: UpstreamName;
  url: URL;
  agent: HttpAgent;
  proxy: ProxyServer;
  metrics: UpstreamMetrics;
}

const EXCHANGE = Symbol('gateway.exchange');
const CLIENT_RESPONSE = Symbol('gateway.clientResponse');
type ProxiedResponse = ServerResponse & { [EXCHANGE]?: Exchange };
type UpstreamResponse = IncomingMessage & { [CLIENT_RESPONSE]?: ServerResponse };

/**
 * One http-proxy-3 server and one keep-alive agent per upstream, built at boot. Without an agent
 * http-proxy sends `Connection: close` and opens a connection per request, which collapses under load.
 * Idle agent sockets close after GATEWAY_UPSTREAM_IDLE_MS, shorter than the upstreams' keepAliveTimeout,
 * so the gateway never writes to a socket the upstream is closing (Node also shortens it to the
 * upstream's `Keep-Alive: timeout` hint). The agent's socket timeout only ever closes idle sockets:
 * an active one (a long SSE stream) just sees an unhandled 'timeout' event.
 */
@Injectable()
export class UpstreamProxyService implements OnApplicationShutdown {
  readonly upstreams: Readonly<Record<UpstreamName, Upstream>>;
  private readonly timeoutMs: number;

  constructor(
    @Inject(gatewayConfig.KEY) config: ConfigType<typeof gatewayConfig>,
    private readonly metrics: MetricsRegistry,
  ) {
    this.timeoutMs = config.upstreamTimeoutMs;
    this.upstreams = {
      authz: this.createUpstream('authz', config.upstreams.authz, config.upstreamIdleMs),
      mcp: this.createUpstream('mcp', config.upstreams.mcp, config.upstreamIdleMs),
    };
  }

  private createUpstream(name: UpstreamName, base: string, idleMs: number): Upstream {
    const url = new URL(base);
    const options = { keepAlive: true, keepAliveMsecs: 1_000, timeout: idleMs, scheduling: 'lifo' as const };
    const agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    const proxy = createProxyServer({
      target: base,
      agent,
      // The gateway writes the response itself: hop-by-hop and CORS headers filtered, SSE flushed at once.
      selfHandleResponse: true,
      // Send req.url (the path the gateway matched) as is: http-proxy otherwise re-parses it with url.parse.
      toProxy: true,
      xfwd: false,
      changeOrigin: false,
    });
    proxy.on('proxyReq', onProxyReq);
    proxy.on('proxyRes', onProxyRes);
    proxy.on('error', onProxyError);
    return { name, url, agent, proxy, metrics: upstreamMetrics(this.metrics, name, url) };
  }

  /** Streams the request to the route's upstream. `body` replaces the request stream when it is counted. */
  forward(req: IncomingMessage, res: ServerResponse, route: GatewayRoute, body?: Readable): void {
    const upstream = this.upstreams[route.target as UpstreamName];
    const exchange: Exchange = { route, upstream, abandoned: false, started: performance.now() };
    (res as ProxiedResponse)[EXCHANGE] = exchange;
    res.once('close', onClientClose);
    // Time to response headers only: cleared once they arrive, so a long SSE stream is never cut.
    exchange.timer = setTimeout(onUpstreamTimeout, this.timeoutMs, res, this.timeoutMs);
    if (body) upstream.proxy.web(req, res, { buffer: body });
    else upstream.proxy.web(req, res);
  }

  /** Gives up on the upstream exchange and answers the client with the gateway's own error. */
  abandon(res: ServerResponse, failure: GatewayError, closeConnection = false): void {
    abandonExchange(res, failure, closeConnection);
  }

  onApplicationShutdown(): void {
    for (const upstream of Object.values(this.upstreams)) {
      upstream.proxy.close();
      upstream.agent.destroy();
    }
  }
}

function onProxyReq(proxyReq: ClientRequest, _req: IncomingMessage, res: ServerResponse): void {
  const exchange = (res as ProxiedResponse)[EXCHANGE];
  if (!exchange) return;
  exchange.proxyReq = proxyReq;
  if (exchange.abandoned) proxyReq.destroy();
}

function onUpstreamTimeout(res: ServerResponse, ms: number): void {
  const exchange = (res as ProxiedResponse)[EXCHANGE];
  if (!exchange) return;
  exchange.timer = undefined;
  (res.req as IncomingMessage | undefined)?.log?.warn(
    { upstream: exchange.upstream.name, ms },
    'upstream timed out',
  );
  exchange.upstream.metrics.failed('timeout');
  abandonExchange(res, upstreamTimeout(exchange.upstream.name, ms));
}

function abandonExchange(res: ServerResponse, failure: GatewayError, closeConnection = false): void {
  const exchange = (res as ProxiedResponse)[EXCHANGE];
  if (!exchange || exchange.abandoned) return;
  exchange.abandoned = true;
  clearTimeout(exchange.timer);
  if (!res.headersSent) sendGatewayError(res, exchange.route.errors, failure, closeConnection);
  else res.destroy();
  exchange.proxyReq?.destroy();
}

/** A client that disconnects takes its upstream request with it (an SSE stream must not linger upstream). */
function onClientClose(this: ServerResponse): void {
  const exchange = (this as ProxiedResponse)[EXCHANGE];
  if (!exchange) return;
  clearTimeout(exchange.timer);
  if (this.writableFinished) return;
  exchange.abandoned = true;
  exchange.proxyReq?.destroy();
}

function onProxyRes(proxyRes: IncomingMessage, _req: IncomingMessage, res: ServerResponse): void {
  const exchange = (res as ProxiedResponse)[EXCHANGE];
  if (!exchange) return;
  clearTimeout(exchange.timer);
  if (exchange.abandoned || res.headersSent) {
    proxyRes.destroy();
    return;
  }
  exchange.upstream.metrics.responded(proxyRes.statusCode ?? 0, performance.now() - exchange.started);
  copyResponseHeaders(proxyRes, res);
  const stream = isEventStream(proxyRes);
  // Tells a buffering reverse proxy in front (nginx) to pass events through as they come.
  if (stream) res.setHeader('X-Accel-Buffering', 'no');
  res.writeHead(proxyRes.statusCode ?? 502);
  if (stream) res.flushHeaders();
  (proxyRes as UpstreamResponse)[CLIENT_RESPONSE] = res;
  proxyRes.once('close', onUpstreamClose);
  proxyRes.pipe(res);
}

/** An upstream that dies mid-response: cut the client's connection so it sees a truncated message. */
function onUpstreamClose(this: IncomingMessage): void {
  if (this.complete) return;
  const res = (this as UpstreamResponse)[CLIENT_RESPONSE];
  const exchange = res && (res as ProxiedResponse)[EXCHANGE];
  // The client leaving first is not the upstream's failure.
  if (exchange && !exchange.abandoned) exchange.upstream.metrics.failed('aborted');
  res?.destroy();
}

function onProxyError(error: Error, req: IncomingMessage, target: ServerResponse | Socket): void {
  const res = target as ServerResponse;
  const exchange = (res as ProxiedResponse)[EXCHANGE];
  if (!exchange || exchange.abandoned || res.writableEnded) return;
  req.log?.warn(
    { upstream: exchange.upstream.name, code: (error as NodeJS.ErrnoException).code },
    'upstream unavailable',
  );
  exchange.upstream.metrics.failed('unavailable');
  abandonExchange(res, upstreamUnavailable(exchange.upstream.name));
}
