import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { ReadinessCheck } from '@app/runtime';
import type { Upstream } from '../proxy/upstream-proxy.service';

/** Readiness of one upstream: its liveness probe answers 200 within `timeoutMs`, over the proxy's own agent. */
export function upstreamReadiness(upstream: Upstream, timeoutMs: number): ReadinessCheck {
  const url = new URL('healthz', upstream.url.href.endsWith('/') ? upstream.url : `${upstream.url.href}/`);
  const send = url.protocol === 'https:' ? requestTls : request;
  return {
    name: upstream.name,
    check: () =>
      new Promise((resolve) => {
        const probe = send(url, { agent: upstream.agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
          res.resume();
          resolve({ ok: res.statusCode === 200, detail: { status: res.statusCode } });
        });
        probe.on('error', (error: NodeJS.ErrnoException) =>
          resolve({
            ok: false,
            detail: { error: error.name === 'AbortError' ? 'timeout' : (error.code ?? 'error') },
          }),
        );
        probe.end();
      }),
  };
}
