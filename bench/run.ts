import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { SCENARIOS } from './scenarios';
import { measure, type Sample } from './support/measure';
import { renderReport, summarise, type ScenarioResult } from './support/report';

/**
 * `npm run bench`: for each scenario, alternates bounded autocannon runs straight at the upstream and
 * through the gateway (alternating evens out drift on a shared machine), then prints and saves the ratios.
 * Tunable with BENCH_DURATION_S (per run, default 5), BENCH_ROUNDS (alternations, default 2),
 * BENCH_CONNECTIONS (default 32) and BENCH_SCENARIOS (comma-separated names).
 */
async function main(): Promise<void> {
  const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const only = process.env.BENCH_SCENARIOS?.split(',').map((name) => name.trim());
  const options = { durationSeconds, connections };
  const results: ScenarioResult[] = [];

  for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
    console.log(`\n${scenario.name}: ${scenario.description}`);
    const run = await scenario.start();
    try {
      // Warm-up: JIT, keep-alive pools on both sides.
      await measure(run.direct, run.request, { durationSeconds: 1, connections });
      await measure(run.gateway, run.request, { durationSeconds: 1, connections });
      const direct: Sample[] = [];
      const gateway: Sample[] = [];
      for (let round = 1; round <= rounds; round++) {
        direct.push(await measure(run.direct, run.request, options, run.processes));
        gateway.push(await measure(run.gateway, run.request, options, run.processes));
        const [d, g] = [direct.at(-1)!, gateway.at(-1)!];
        console.log(
          `  round ${round}: direct ${d.requestsPerSecond.toFixed(0)} req/s p99 ${d.p99Ms} ms ` +
            `${JSON.stringify(d.cpuUsPerRequest)} | gateway ${g.requestsPerSecond.toFixed(0)} req/s ` +
            `p99 ${g.p99Ms} ms ${JSON.stringify(g.cpuUsPerRequest)}`,
        );
      }
      results.push(summarise(scenario, direct, gateway));
    } finally {
      await run.stop();
    }
  }

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    durationSeconds,
    rounds,
    connections,
  };
  // Written as `prettier --check` expects, so the committed report stays lint-clean.
  const report = await format(renderReport(environment, results), { parser: 'markdown' });
  console.log(`\n${report}`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), report);
  console.log(`written to ${join(dir, 'latest.md')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
