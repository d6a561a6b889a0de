import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import type { UpstreamName } from '../routing/route-table';
import type { UpstreamMetrics } from './upstream-metrics';

/** One instance of an upstream: its keep-alive agent, its proxy, and its passive health. */
export interface UpstreamInstance {
  readonly pool: UpstreamName;
  readonly url: URL;
  readonly agent: HttpAgent;
  readonly proxy: ProxyServer;
  /**
   * The MCP endpoint path of a resource's upstream URL (`http://echo:8080/rpc` -> `/rpc`), sent in place of the
   * public path; undefined to send the public path as is (authz, the bundled server, an URL without a path).
   */
  readonly endpointPath?: string;
  /** Until when the instance is skipped, after it refused a connection (ms since the epoch; 0 = healthy). */
  downUntil: number;
  readonly metrics: UpstreamMetrics;
}

export interface PoolOptions {
  idleMs: number;
  cooldownMs: number;
  /** A resource's upstream URLs name the MCP endpoint itself; authz's and mcp's are base URLs. */
  endpoints: boolean;
  /** The metrics of one instance (upstream-metrics.ts); none in unit specs. */
  metrics?: (pool: UpstreamName, url: URL) => UpstreamMetrics;
}

const UNMEASURED: UpstreamMetrics = { responded: () => undefined, failed: () => undefined };

/** Wires the proxy events of every instance to the one set of handlers. */
export type ProxyWiring = (proxy: ProxyServer) => void;

function createInstance(pool: UpstreamName, base: string, options: PoolOptions, wire: ProxyWiring) {
  const url = new URL(base);
  const agentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1_000,
    timeout: options.idleMs,
    scheduling: 'lifo' as const,
  };
  const agent = url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const endpointPath = options.endpoints && url.pathname !== '/' ? url.pathname : undefined;
  const proxy = createProxyServer({
    target: endpointPath === undefined ? base : url.origin,
    agent,
    // The gateway writes the response itself: hop-by-hop and CORS headers filtered, SSE flushed at once.
    selfHandleResponse: true,
    // Send req.url (the path the gateway matched) as is: http-proxy otherwise re-parses it with url.parse.
    toProxy: true,
    xfwd: false,
    changeOrigin: false,
  });
  wire(proxy);
  const metrics = options.metrics?.(pool, url) ?? UNMEASURED;
  return { pool, url, agent, proxy, endpointPath, downUntil: 0, metrics } satisfies UpstreamInstance;
}

/**
 * The instances of one upstream, used round-robin with passive health: an instance that refuses a connection is
 * skipped for `cooldownMs`, then tried again by ordinary traffic. When every instance is cooling down, the
 * rotation goes on regardless, so a pool that comes back is found at once.
 */
export class UpstreamPool {
  readonly instances: readonly UpstreamInstance[];
  private next = 0;

  constructor(
    readonly name: UpstreamName,
    urls: readonly string[],
    private readonly options: PoolOptions,
    wire: ProxyWiring,
  ) {
    this.instances = urls.map((url) => createInstance(name, url, options, wire));
  }

  /** The next healthy instance in turn (`excluding` those already tried for this request). */
  pick(excluding?: ReadonlySet<UpstreamInstance>): UpstreamInstance | undefined {
    const count = this.instances.length;
    if (count === 1) return excluding?.has(this.instances[0]) ? undefined : this.instances[0];
    const now = Date.now();
    let fallback: UpstreamInstance | undefined;
    for (let i = 0; i < count; i++) {
      const instance = this.instances[(this.next + i) % count];
      if (excluding?.has(instance)) continue;
      if (instance.downUntil <= now) {
        this.next = (this.next + i + 1) % count;
        return instance;
      }
      fallback ??= instance;
    }
    if (fallback) this.next = (this.instances.indexOf(fallback) + 1) % count;
    return fallback;
  }

  markDown(instance: UpstreamInstance): void {
    instance.downUntil = Date.now() + this.options.cooldownMs;
  }

  close(): void {
    for (const instance of this.instances) {
      instance.proxy.close();
      instance.agent.destroy();
    }
  }
}
