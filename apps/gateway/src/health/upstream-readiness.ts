import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { ReadinessCheck } from '@app/runtime';
import type { UpstreamInstance, UpstreamPool } from '../proxy/upstream-pool';

interface InstanceHealth {
  ok: boolean;
  status?: number;
  error?: string;
}

/**
 * The probe of one instance, over the proxy's own agent. authz and the bundled mcp answer `/healthz` with 200. A
 * resource's upstream is a third-party MCP server with no probe of its own: its MCP endpoint answering at all
 * (a GET there is 405 or 401 for most servers) shows it is up; only 5xx or no answer counts as down.
 */
function probe(instance: UpstreamInstance, timeoutMs: number): Promise<InstanceHealth> {
  const ownProbe = instance.endpointPath === undefined;
  const url = ownProbe
    ? new URL('healthz', instance.url.href.endsWith('/') ? instance.url : `${instance.url.href}/`)
    : instance.url;
  const send = url.protocol === 'https:' ? requestTls : request;
  return new Promise((resolve) => {
    const req = send(url, { agent: instance.agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve({ ok: ownProbe ? status === 200 : status < 500, status });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, error: error.name === 'AbortError' ? 'timeout' : (error.code ?? 'error') }),
    );
    req.end();
  });
}

/**
 * Readiness of one upstream, reporting each instance: ready while at least one instance is, since the pool
 * routes around the others. Probing leaves the pool's passive health alone: that follows real traffic only.
 */
export function upstreamReadiness(pool: UpstreamPool, timeoutMs: number): ReadinessCheck {
  return {
    name: pool.name,
    check: async () => {
      const results = await Promise.all(pool.instances.map((instance) => probe(instance, timeoutMs)));
      const instances: Record<string, InstanceHealth> = {};
      results.forEach((health, index) => (instances[pool.instances[index].url.href] = health));
      return { ok: results.some((health) => health.ok), detail: { instances } };
    },
  };
}
