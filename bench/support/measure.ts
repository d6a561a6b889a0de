import autocannon from 'autocannon';
import { cpuMillis } from './proc-stats';

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
  /**
   * CPU time each watched process spent per completed request during the run, in microseconds; `loadgen` is the
   * load generator's own (this process, where autocannon runs).
   */
  cpuUsPerRequest?: Record<string, number>;
  /** How much each counter (e.g. requests authz served) grew during the run. */
  counted?: Record<string, number>;
}

/** Something the runner can read before and after a run, such as the number of requests authz has served. */
export type Counter = () => Promise<number>;

export interface MeasureOptions {
  durationSeconds: number;
  connections: number;
  /** Stop after this many requests instead of after `durationSeconds` (requests that spend a credential). */
  amount?: number;
  /** A body per request (each code or refresh token is sent once); its answer is handed to `onAnswer`. */
  bodies?: { next(): string; onAnswer?(status: number, body: string): void };
}

/** One bounded autocannon run against a loopback URL, with the CPU the `watched` processes spent on it. */
export async function measure(
  base: string,
  request: RequestShape,
  options: MeasureOptions,
  watched: Record<string, { pid: number }> = {},
  counters: Record<string, Counter> = {},
): Promise<Sample> {
  const countedBefore = await readCounters(counters);
  const before = Object.entries(watched).map(([name, { pid }]) => [name, pid, cpuMillis(pid)] as const);
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  let lastAnswer = started;
  const { bodies } = options;
  const result = await autocannon({
    url: base + request.path,
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    idReplacement: true,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.durationSeconds } : { amount: options.amount }),
    // In `amount` mode autocannon ends on a whole second: the rate comes from when the last answer arrived.
    ...(bodies || options.amount !== undefined
      ? {
          requests: [
            {
              ...(bodies ? { setupRequest: (req: object) => ({ ...req, body: bodies.next() }) } : {}),
              onResponse: (status: number, body: string) => {
                lastAnswer = performance.now();
                bodies?.onAnswer?.(status, body);
              },
            },
          ],
        }
      : {}),
  });
  const own = process.cpuUsage(ownBefore);
  const elapsedSeconds = (lastAnswer - started) / 1000;
  const total = result.requests.total;
  const cpuUsPerRequest: Record<string, number> = {};
  for (const [name, pid, start] of before) {
    const end = cpuMillis(pid);
    if (start !== undefined && end !== undefined && total > 0) {
      cpuUsPerRequest[name] = Math.round(((end - start) * 1000) / total);
    }
  }
  if (total > 0) cpuUsPerRequest.loadgen = Math.round((own.user + own.system) / total);
  const countedAfter = await readCounters(counters);
  const counted = Object.fromEntries(
    Object.entries(countedAfter).map(([name, value]) => [name, value - countedBefore[name]]),
  );
  return {
    cpuUsPerRequest,
    ...(Object.keys(counted).length > 0 ? { counted } : {}),
    requestsPerSecond: options.amount === undefined ? result.requests.average : total / elapsedSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function readCounters(counters: Record<string, Counter>): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(counters).map(async ([name, read]) => [name, await read()] as const),
  );
  return Object.fromEntries(entries);
}
