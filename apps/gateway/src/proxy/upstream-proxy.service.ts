import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { MetricsRegistry } from '@app/observability';
import { gatewayConfig } from '../config/gateway.config';
import { poolOf, type GatewayRoute, type UpstreamName } from '../routing/route-table';
import { BodyLimit, readBody } from './body-limit';
import { payloadTooLarge, sendGatewayError, type GatewayError } from './gateway-errors';
import {
  abandonExchange,
  hasNoBody,
  startExchange,
  wire,
  type Exchange,
  type ForwardBody,
  type ForwardOptions,
} from './proxy-exchange';
import { upstreamMetrics } from './upstream-metrics';
import { UpstreamPool } from './upstream-pool';

export type { ForwardBody, ForwardOptions } from './proxy-exchange';

/**
 * One pool per upstream (authz, the bundled mcp, each resource's own), each instance with its own http-proxy-3
 * server and keep-alive agent, built at boot. Without an agent http-proxy sends `Connection: close` and opens a
 * connection per request, which collapses under load. Idle agent sockets close after GATEWAY_UPSTREAM_IDLE_MS,
 * shorter than the upstreams' keepAliveTimeout, so the gateway never writes to a socket the upstream is closing.
 * An instance that refuses a connection is skipped for GATEWAY_UPSTREAM_COOLDOWN_MS, and a request whose body the
 * gateway holds goes to the next instance; a request an instance took and then died on gets 502, never a hang.
 */
@Injectable()
export class UpstreamProxyService implements OnApplicationShutdown {
  readonly pools: ReadonlyMap<UpstreamName, UpstreamPool>;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(@Inject(gatewayConfig.KEY) config: ConfigType<typeof gatewayConfig>, metrics: MetricsRegistry) {
    this.timeoutMs = config.upstreamTimeoutMs;
    this.maxBodyBytes = config.maxBodyBytes;
    const base = {
      idleMs: config.upstreamIdleMs,
      cooldownMs: config.upstreamCooldownMs,
      // Latency and failures per instance, labelled by pool name and the instance's address.
      metrics: (name: UpstreamName, url: URL) => upstreamMetrics(metrics, name, url),
    };
    const pools = new Map<UpstreamName, UpstreamPool>();
    const add = (name: UpstreamName, urls: readonly string[], endpoints: boolean) =>
      pools.set(name, new UpstreamPool(name, urls, { ...base, endpoints }, wire));
    add('authz', config.upstreams.authz, false);
    if (config.resources.some((resource) => resource.upstream === undefined))
      add('mcp', config.upstreams.mcp, false);
    for (const resource of config.resources) {
      if (resource.upstream !== undefined) add(poolOf(resource), resource.upstream, true);
    }
    this.pools = pools;
  }

  pool(name: UpstreamName): UpstreamPool {
    return this.pools.get(name)!;
  }

  /** Sends the request to an instance of the route's pool and streams the answer back. */
  forward(
    req: IncomingMessage,
    res: ServerResponse,
    route: GatewayRoute,
    options: ForwardOptions = {},
  ): void {
    const pool = this.pool(route.target);
    const exchange: Exchange = {
      route,
      pool,
      instance: options.instance ?? pool.pick()!,
      options,
      target: req.url ?? '/',
      responded: false,
      abandoned: false,
      started: 0,
    };
    startExchange(req, res, exchange, this.timeoutMs);
  }

  /**
   * The body to send to the route's pool: read whole (within the body limit) when another instance may have to
   * take the request, a counting stream when its length was not declared, else the request's own (undefined).
   * A promise only when the body is read; null once the request was answered (413) or the client left.
   */
  bodyFor(
    req: IncomingMessage,
    res: ServerResponse,
    route: GatewayRoute,
  ): ForwardBody | Promise<ForwardBody | null> {
    if (hasNoBody(req)) return undefined;
    if (this.pool(route.target).instances.length > 1) {
      return readBody(req, this.maxBodyBytes).then((body) => {
        if (body === 'aborted') return null;
        if (body !== 'too-large') return body;
        sendGatewayError(res, route.errors, payloadTooLarge(this.maxBodyBytes), true);
        return null;
      });
    }
    if (req.headers['content-length'] !== undefined) return undefined;
    const limited: BodyLimit = new BodyLimit(this.maxBodyBytes, () => {
      req.unpipe(limited);
      req.resume();
      abandonExchange(res, payloadTooLarge(this.maxBodyBytes), true);
    });
    return req.pipe(limited);
  }

  /** Gives up on the upstream exchange and answers the client with the gateway's own error. */
  abandon(res: ServerResponse, failure: GatewayError, closeConnection = false): void {
    abandonExchange(res, failure, closeConnection);
  }

  onApplicationShutdown(): void {
    for (const pool of this.pools.values()) pool.close();
  }
}
