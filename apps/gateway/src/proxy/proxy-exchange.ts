import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { ProxyServer } from 'http-proxy-3';
import type { GatewayRoute } from '../routing/route-table';
import { sendGatewayError, upstreamTimeout, upstreamUnavailable, type GatewayError } from './gateway-errors';
import { copyResponseHeaders, isEventStream } from './response-headers';
import { writeRewritten, type BodyRewrite } from './response-rewrite';
import type { UpstreamInstance, UpstreamPool } from './upstream-pool';

/** A body to send: read by the gateway (replayable on another instance), a counting stream, or the request's own. */
export type ForwardBody = Buffer | Readable | undefined;

/** What the caller asks of one forwarded exchange beyond streaming it. */
export interface ForwardOptions {
  body?: ForwardBody;
  /** The instance holding the request's session: no other will do. */
  instance?: UpstreamInstance;
  /** The answer when that instance refuses (its sessions died with it). */
  instanceLost?: () => GatewayError;
  /** Sees the upstream's response before anything is written (session affinity and binding). */
  onResponse?: (proxyRes: IncomingMessage, instance: UpstreamInstance) => void;
  /** A rewrite of the response body (list filtering), or undefined to stream it untouched. */
  rewrite?: (proxyRes: IncomingMessage) => BodyRewrite | undefined;
}

/** What the gateway knows about one proxied exchange, kept on the response object. */
export interface Exchange {
  route: GatewayRoute;
  pool: UpstreamPool;
  instance: UpstreamInstance;
  options: ForwardOptions;
  /** The request target as matched, before an endpoint path replaced it. */
  target: string;
  tried?: Set<UpstreamInstance>;
  proxyReq?: ClientRequest;
  timer?: NodeJS.Timeout;
  /** performance.now() when the request went to its instance, for the upstream latency. */
  started: number;
  responded: boolean;
  /** The gateway no longer wants the upstream's answer: client gone, or the gateway answered itself. */
  abandoned: boolean;
}

const EXCHANGE = Symbol('gateway.exchange');
const CLIENT_RESPONSE = Symbol('gateway.clientResponse');
type ProxiedResponse = ServerResponse & { [EXCHANGE]?: Exchange };
type UpstreamResponse = IncomingMessage & { [CLIENT_RESPONSE]?: ServerResponse };

/** The connection was never made, so nothing was sent: another instance may take the request. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Starts one proxied exchange: the upstream request goes out, and its answer (or the gateway's error: 502 when
 * the instance is unavailable, 504 when its headers are late) comes back on `res`. Everything the handlers below
 * need travels on `res`, so the per-instance proxies are built once at boot with plain functions as handlers.
 */
export function startExchange(
  req: IncomingMessage,
  res: ServerResponse,
  exchange: Exchange,
  timeoutMs: number,
): void {
  (res as ProxiedResponse)[EXCHANGE] = exchange;
  res.once('close', onClientClose);
  // Time to response headers only: cleared once they arrive, so a long SSE stream is never cut.
  exchange.timer = setTimeout(onUpstreamTimeout, timeoutMs, res, timeoutMs);
  send(exchange, req, res);
}

/** Wires one instance's proxy to the exchange handlers. */
export function wire(proxy: ProxyServer): void {
  proxy.on('proxyReq', onProxyReq);
  proxy.on('proxyRes', onProxyRes);
  proxy.on('error', onProxyError);
}

function send(exchange: Exchange, req: IncomingMessage, res: ServerResponse): void {
  const { instance, options } = exchange;
  // A resource's upstream URL names its MCP endpoint: the public path is replaced, the query kept.
  if (exchange.route.resource && instance.endpointPath !== undefined) {
    const queryAt = exchange.target.indexOf('?');
    req.url = instance.endpointPath + (queryAt === -1 ? '' : exchange.target.slice(queryAt));
  }
  exchange.started = performance.now();
  const body = options.body;
  if (body === undefined) return instance.proxy.web(req, res);
  if (!Buffer.isBuffer(body)) return instance.proxy.web(req, res, { buffer: body });
  req.headers['content-length'] = String(body.length);
  delete req.headers['transfer-encoding'];
  instance.proxy.web(req, res, { buffer: bodySource(body) });
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
    { upstream: exchange.pool.name, instance: exchange.instance.url.href, ms },
    'upstream timed out',
  );
  exchange.instance.metrics.failed('timeout');
  abandonExchange(res, upstreamTimeout(exchange.pool.name, ms));
}

export function abandonExchange(res: ServerResponse, failure: GatewayError, closeConnection = false): void {
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
  exchange.responded = true;
  clearTimeout(exchange.timer);
  if (exchange.abandoned || res.headersSent) {
    proxyRes.destroy();
    return;
  }
  exchange.instance.metrics.responded(proxyRes.statusCode ?? 0, performance.now() - exchange.started);
  exchange.options.onResponse?.(proxyRes, exchange.instance);
  copyResponseHeaders(proxyRes, res);
  (proxyRes as UpstreamResponse)[CLIENT_RESPONSE] = res;
  proxyRes.once('close', onUpstreamClose);
  const rewrite = exchange.options.rewrite?.(proxyRes);
  if (rewrite) {
    writeRewritten(proxyRes, res, rewrite, () => {
      // The gateway answers; dropping the upstream response must not cut that answer.
      (proxyRes as UpstreamResponse)[CLIENT_RESPONSE] = undefined;
      abandonExchange(res, upstreamUnavailable(exchange.pool.name));
    });
    return;
  }
  const stream = isEventStream(proxyRes);
  // Tells a buffering reverse proxy in front (nginx) to pass events through as they come.
  if (stream) res.setHeader('X-Accel-Buffering', 'no');
  res.writeHead(proxyRes.statusCode ?? 502);
  if (stream) res.flushHeaders();
  proxyRes.pipe(res);
}

/** An upstream that dies mid-response: cut the client's connection so it sees a truncated message. */
function onUpstreamClose(this: IncomingMessage): void {
  if (this.complete) return;
  const res = (this as UpstreamResponse)[CLIENT_RESPONSE];
  const exchange = res && (res as ProxiedResponse)[EXCHANGE];
  // The client leaving first is not the upstream's failure.
  if (exchange && !exchange.abandoned) exchange.instance.metrics.failed('aborted');
  res?.destroy();
}

function onProxyError(error: Error, req: IncomingMessage, target: ServerResponse | Socket): void {
  const res = target as ServerResponse;
  const exchange = (res as ProxiedResponse)[EXCHANGE];
  if (!exchange || exchange.abandoned || res.writableEnded) return;
  const code = (error as NodeJS.ErrnoException).code;
  const { pool, instance, options } = exchange;
  req.log?.warn({ upstream: pool.name, instance: instance.url.href, code }, 'upstream unavailable');
  instance.metrics.failed('unavailable');
  if (!exchange.responded && code !== undefined && NOT_CONNECTED.has(code)) {
    pool.markDown(instance);
    if (options.instance)
      return abandonExchange(res, options.instanceLost?.() ?? upstreamUnavailable(pool.name));
    // Nothing reached the instance; a body the gateway holds (or none at all) can go to the next one.
    if (options.body === undefined ? hasNoBody(req) : Buffer.isBuffer(options.body)) {
      (exchange.tried ??= new Set()).add(instance);
      const next = pool.pick(exchange.tried);
      if (next) {
        exchange.instance = next;
        exchange.proxyReq = undefined;
        return send(exchange, req, res);
      }
    }
  }
  abandonExchange(res, upstreamUnavailable(pool.name));
}

/**
 * A body the gateway holds, in the one shape http-proxy asks of its `buffer` option (`.pipe(proxyReq)`): written
 * and ended at once, without building a stream per request on the hot path.
 */
function bodySource(body: Buffer): Readable {
  return { pipe: (destination: ClientRequest) => destination.end(body) } as unknown as Readable;
}

/** RFC 9112 §6.3: a request without Content-Length or Transfer-Encoding has no body. */
export function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined;
}
