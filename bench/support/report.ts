import type { Scenario } from '../scenarios';
import type { Sample } from './measure';

export interface ScenarioResult {
  name: string;
  description: string;
  direct: Sample;
  gateway: Sample;
  /** The SDK stateless example answering the same request, where the scenario has one. */
  reference?: Sample;
  /** Gateway throughput as a fraction of direct throughput. */
  throughputRatio: number;
  /** Gateway (and direct) throughput as a multiple of the reference's. */
  vsReference?: { gateway: number; direct: number };
  /** Gateway p99 latency divided by direct p99 latency. */
  p99Ratio: number;
  rounds: { direct: Sample[]; gateway: Sample[]; reference?: Sample[] };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function averageOf(samples: Sample[], key: 'cpuUsPerRequest' | 'counted'): Record<string, number> {
  const names = new Set(samples.flatMap((s) => Object.keys(s[key] ?? {})));
  return Object.fromEntries(
    [...names].map((name) => [name, Math.round(mean(samples.map((s) => s[key]?.[name] ?? Number.NaN)))]),
  );
}

export function average(samples: Sample[]): Sample {
  const counted = averageOf(samples, 'counted');
  return {
    cpuUsPerRequest: averageOf(samples, 'cpuUsPerRequest'),
    ...(Object.keys(counted).length > 0 ? { counted } : {}),
    requestsPerSecond: mean(samples.map((s) => s.requestsPerSecond)),
    p50Ms: mean(samples.map((s) => s.p50Ms)),
    p99Ms: mean(samples.map((s) => s.p99Ms)),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    non2xx: samples.reduce((sum, s) => sum + s.non2xx, 0),
  };
}

export function summarise(
  scenario: Scenario,
  direct: Sample[],
  gateway: Sample[],
  reference: Sample[] = [],
): ScenarioResult {
  const d = average(direct);
  const g = average(gateway);
  const r = reference.length > 0 ? average(reference) : undefined;
  return {
    name: scenario.name,
    description: scenario.description,
    direct: d,
    gateway: g,
    ...(r ? { reference: r } : {}),
    throughputRatio: g.requestsPerSecond / d.requestsPerSecond,
    ...(r
      ? {
          vsReference: {
            gateway: g.requestsPerSecond / r.requestsPerSecond,
            direct: d.requestsPerSecond / r.requestsPerSecond,
          },
        }
      : {}),
    p99Ratio: d.p99Ms > 0 ? g.p99Ms / d.p99Ms : Number.NaN,
    rounds: { direct, gateway, ...(r ? { reference } : {}) },
  };
}

export const cpuText = (cpu: Record<string, number> | undefined) =>
  Object.entries(cpu ?? {})
    .map(([name, us]) => `${name} ${us}`)
    .join(', ');

const errorsOf = (s: Sample | undefined) => (s ? `${s.errors + s.non2xx}` : '-');

/** The throughput tables: rates and ratios, then the CPU each process spent per request. */
export function renderThroughput(results: ScenarioResult[]): string[] {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.reference ? r.reference.requestsPerSecond.toFixed(0) : '-'} | ` +
      `${r.direct.requestsPerSecond.toFixed(0)} | ${r.gateway.requestsPerSecond.toFixed(0)} | ` +
      `${r.vsReference ? r.vsReference.gateway.toFixed(2) : '-'} | ${r.throughputRatio.toFixed(2)} | ` +
      `${r.direct.p99Ms.toFixed(1)} | ${r.gateway.p99Ms.toFixed(1)} | ` +
      `${errorsOf(r.reference)} / ${errorsOf(r.direct)} / ${errorsOf(r.gateway)} |`,
  );
  const cpuRows = results.map(
    (r) =>
      `| ${r.name} | ${r.reference ? cpuText(r.reference.cpuUsPerRequest) : '-'} | ` +
      `${cpuText(r.direct.cpuUsPerRequest)} | ${cpuText(r.gateway.cpuUsPerRequest)} | ` +
      `${r.gateway.counted?.authzRequests ?? '-'} |`,
  );
  return [
    '| scenario | SDK example req/s | direct req/s | gateway req/s | gateway x SDK example | gateway / direct | direct p99 ms | gateway p99 ms | errors+non2xx (example / direct / gateway) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'CPU microseconds per request of each process (`loadgen` is autocannon, in the runner), and the requests authz',
    'served during the gateway runs (from its own metrics):',
    '',
    '| scenario | SDK example run | direct run | gateway run | authz requests (gateway runs) |',
    '| --- | --- | --- | --- | ---: |',
    ...cpuRows,
  ];
}
