import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { runCluster } from './cluster.bench';
import { runMemory } from './memory.bench';
import { runStore } from './store.bench';
import { runThroughput } from './throughput.bench';
import { runToken } from './token.bench';
import { renderChart } from './support/chart';
import { renderDocument, type Environment } from './support/document';
import { writePartialRun } from './support/partial-run';
import { checkTargets, type BenchResults } from './support/targets';

const numberOf = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const listOf = (name: string) => process.env[name]?.split(',').map((value) => value.trim());
const SECTIONS = ['throughput', 'token', 'memory', 'store', 'cluster'];

/**
 * `npm run bench`: the throughput scenarios (direct, through the gateway, and the SDK example where there is
 * one), the token endpoint and the first flow, memory over 100k calls, the store at 1e3 and 1e6 entries, and
 * the cluster row of issue 11 (tools/call and /token through the gateway with 1 and 2 mcp and authz instances
 * around a real redis-server), each configuration in separate processes; then the targets of issue 15 checked,
 * printed and saved (bench/results/<date>.json, latest.md, latest.svg). Tunable with BENCH_DURATION_S (per run,
 * default 5), BENCH_ROUNDS (alternations, default 2), BENCH_CONNECTIONS (default 32), BENCH_SCENARIOS
 * (comma-separated names), BENCH_SECTIONS (throughput,token,memory,store,cluster), BENCH_TOKEN_CODES (also the
 * cluster's /token runs), BENCH_FLOWS, BENCH_MEMORY_CALLS, BENCH_STORE_SIZES. A run of some sections only writes
 * <sections>-<date>.json and replaces just its sections in latest.md (support/partial-run.ts).
 */
async function main(): Promise<void> {
  // The apps run compiled, as deployed: build them when a source changed since the last build.
  const build = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'build-if-stale.js')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed');
  const durationSeconds = numberOf('BENCH_DURATION_S', 5);
  const rounds = numberOf('BENCH_ROUNDS', 2);
  const connections = numberOf('BENCH_CONNECTIONS', 32);
  const sections = listOf('BENCH_SECTIONS') ?? SECTIONS;
  const startLoad = loadavg();
  const results: BenchResults = { throughput: [] };

  if (sections.includes('throughput')) {
    results.throughput = await runThroughput(
      { durationSeconds, connections },
      rounds,
      listOf('BENCH_SCENARIOS'),
    );
  }
  if (sections.includes('token')) {
    console.log('\ntoken: /token at capacity beside raw RS256 signing; the full first flow');
    results.token = await runToken(10, numberOf('BENCH_TOKEN_CODES', 2000), numberOf('BENCH_FLOWS', 40));
  }
  if (sections.includes('memory')) {
    console.log('\nmemory: RSS per app idle, after a warm-up, after 100k tools/call');
    results.memory = await runMemory(10, numberOf('BENCH_MEMORY_CALLS', 100_000), 10_000);
  }
  if (sections.includes('store')) {
    console.log('\nstore: operations at 1e3 and 1e6 live entries, per backend');
    results.store = await runStore(listOf('BENCH_STORE_SIZES')?.map(Number) ?? [1000, 1_000_000]);
  }
  if (sections.includes('cluster')) {
    console.log(
      '\ncluster: tools/call and /token through the gateway, 1 then 2 mcp and authz instances, Redis',
    );
    results.cluster = await runCluster(
      { durationSeconds, connections },
      rounds,
      numberOf('BENCH_TOKEN_CODES', 2000),
    );
  }

  const environment: Environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: startLoad, end: loadavg() },
    durationSeconds,
    rounds,
    connections,
  };
  const targets = checkTargets(results);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const printed = `\n${targets.map((t) => `${t.met ? 'MET   ' : 'MISSED'} ${t.target}: ${t.measured}`).join('\n')}`;
  if (!SECTIONS.every((section) => sections.includes(section))) {
    const name = await writePartialRun(dir, sections, environment, results, targets);
    console.log(`${printed}\nwritten to ${name}; its sections replaced in ${join(dir, 'latest.md')}`);
    return;
  }
  const stamp = environment.date.slice(0, 10);
  writeFileSync(
    join(dir, `${stamp}.json`),
    `${JSON.stringify({ environment, targets, ...results }, null, 2)}\n`,
  );
  const caption =
    `${environment.cpus}, Node ${environment.node}, ${environment.date.slice(0, 16)}Z, load average ` +
    `${environment.loadAverage.start[0].toFixed(1)} -> ${environment.loadAverage.end[0].toFixed(1)}`;
  writeFileSync(join(dir, 'latest.svg'), renderChart(results.throughput, caption));
  // Written as `prettier --check` expects, so the committed report stays lint-clean.
  const report = await format(
    renderDocument(environment, results, targets, 'latest.svg') +
      `\nNumbers: [${stamp}.json](${stamp}.json).\n`,
    {
      parser: 'markdown',
    },
  );
  writeFileSync(join(dir, 'latest.md'), report);
  console.log(printed);
  console.log(`written to ${join(dir, 'latest.md')}, latest.svg and ${stamp}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
