import { SCENARIOS } from './scenarios';
import { measure, type MeasureOptions, type Sample } from './support/measure';
import { summarise, type ScenarioResult } from './support/report';

const line = (name: string, s: Sample) =>
  `${name} ${s.requestsPerSecond.toFixed(0)} req/s p99 ${s.p99Ms} ms ${JSON.stringify(s.cpuUsPerRequest)}` +
  (s.counted ? ` ${JSON.stringify(s.counted)}` : '');

/**
 * For each scenario, alternates bounded autocannon runs straight at the upstream, through the gateway and, where
 * the scenario has one, at the reference server (alternating evens out drift on a shared machine).
 */
export async function runThroughput(
  options: MeasureOptions,
  rounds: number,
  only?: string[],
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
    console.log(`\n${scenario.name}: ${scenario.description}`);
    const run = await scenario.start();
    try {
      const targets: [string, string][] = [
        ['direct', run.direct],
        ['gateway', run.gateway],
        ...(run.reference ? [['reference', run.reference] as [string, string]] : []),
      ];
      // Warm-up: JIT, keep-alive pools on both sides.
      for (const [, url] of targets) await measure(url, run.request, { ...options, durationSeconds: 1 });
      const samples: Record<string, Sample[]> = { direct: [], gateway: [], reference: [] };
      for (let round = 1; round <= rounds; round++) {
        const parts: string[] = [];
        for (const [name, url] of targets) {
          const sample = await measure(url, run.request, options, run.processes, run.counters);
          samples[name].push(sample);
          parts.push(line(name, sample));
        }
        console.log(`  round ${round}: ${parts.join(' | ')}`);
      }
      results.push(summarise(scenario, samples.direct, samples.gateway, samples.reference));
    } finally {
      await run.stop();
    }
  }
  return results;
}
