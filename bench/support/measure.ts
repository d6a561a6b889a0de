import autocannon from 'autocannon';
import { cpuMillis } from './cpu';

export interface RequestShape {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Sample {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** CPU time each watched process spent per completed request during the run, in microseconds. */
  cpuUsPerRequest?: Record<string, number>;
}

/** One bounded autocannon run against a loopback URL, with the CPU the `watched` processes spent on it. */
export async function measure(
  base: string,
  request: RequestShape,
  options: { durationSeconds: number; connections: number },
  watched: Record<string, { pid: number }> = {},
): Promise<Sample> {
  const before = Object.entries(watched).map(([name, { pid }]) => [name, pid, cpuMillis(pid)] as const);
  const result = await autocannon({
    url: base + request.path,
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    idReplacement: true,
    connections: options.connections,
    duration: options.durationSeconds,
  });
  const cpuUsPerRequest: Record<string, number> = {};
  for (const [name, pid, start] of before) {
    const end = cpuMillis(pid);
    if (start !== undefined && end !== undefined && result.requests.total > 0) {
      cpuUsPerRequest[name] = Math.round(((end - start) * 1000) / result.requests.total);
    }
  }
  return {
    cpuUsPerRequest,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
