import type { Scenario } from '../scenarios';
import type { Sample } from './measure';

export interface ScenarioResult {
  name: string;
  description: string;
  direct: Sample;
  gateway: Sample;
  /** Gateway throughput as a fraction of direct throughput. */
  throughputRatio: number;
  /** Gateway p99 latency divided by direct p99 latency. */
  p99Ratio: number;
  rounds: { direct: Sample[]; gateway: Sample[] };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function average(samples: Sample[]): Sample {
  return {
    requestsPerSecond: mean(samples.map((s) => s.requestsPerSecond)),
    p50Ms: mean(samples.map((s) => s.p50Ms)),
    p99Ms: mean(samples.map((s) => s.p99Ms)),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    non2xx: samples.reduce((sum, s) => sum + s.non2xx, 0),
  };
}

export function summarise(scenario: Scenario, direct: Sample[], gateway: Sample[]): ScenarioResult {
  const d = average(direct);
  const g = average(gateway);
  return {
    name: scenario.name,
    description: scenario.description,
    direct: d,
    gateway: g,
    throughputRatio: g.requestsPerSecond / d.requestsPerSecond,
    p99Ratio: d.p99Ms > 0 ? g.p99Ms / d.p99Ms : Number.NaN,
    rounds: { direct, gateway },
  };
}

/** Markdown table for people, and the same numbers as JSON for tools. */
export function renderReport(environment: Record<string, unknown>, results: ScenarioResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.direct.requestsPerSecond.toFixed(0)} | ${r.gateway.requestsPerSecond.toFixed(0)} | ` +
      `${r.throughputRatio.toFixed(2)} | ${r.direct.p99Ms.toFixed(1)} | ${r.gateway.p99Ms.toFixed(1)} | ` +
      `${r.p99Ratio.toFixed(2)} | ${r.direct.errors + r.direct.non2xx} / ${r.gateway.errors + r.gateway.non2xx} |`,
  );
  return [
    '# Gateway benchmark (latest run)',
    '',
    `Node ${String(environment.node)}, ${String(environment.cpus)}; ${String(environment.rounds)} alternating rounds of ` +
      `${String(environment.durationSeconds)} s per target, ${String(environment.connections)} connections, loopback; ` +
      `${String(environment.date)}. Load generator, gateway and upstream run as separate processes on the same machine.`,
    '',
    '| scenario | direct req/s | gateway req/s | throughput ratio | direct p99 ms | gateway p99 ms | p99 ratio | errors+non2xx (direct / gateway) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '```json',
    JSON.stringify({ environment, results }, null, 2),
    '```',
    '',
  ].join('\n');
}
