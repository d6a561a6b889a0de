import { renderCluster } from './cluster-document';
import { cpuText, renderThroughput } from './report';
import type { BenchResults, TargetRow } from './targets';

export interface Environment {
  date: string;
  node: string;
  cpus: string;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started and when it ended (other jobs share the machine). */
  loadAverage: { start: number[]; end: number[] };
  durationSeconds: number;
  rounds: number;
  connections: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');

/** What the numbers mean; a ratio without its baseline is easy to misread. */
const READING = [
  '## How to read this',
  '',
  '- **SDK example** (`support/sdk-example.server.ts`) is the reference the issue compares with: the MCP SDK v2 the',
  "  project uses, a new `McpServer` per request behind the SDK's own per-request entry (`createMcpHandler`; 2025",
  "  requests statelessly), on plain `node:http`, with a jose bearer check (RS256 against authz's JWKS) and nothing",
  '  else: no logs, metrics, scopes or origin checks. It answers the same `tools/call add` as mcp.',
  '- **gateway x SDK example** = gateway req/s / SDK example req/s; **gateway / direct** = gateway req/s / mcp',
  '  direct req/s, same request, same connections. On 2 cores every process on the path (load generator included)',
  '  competes for the same CPU, so the rates follow the total CPU per call.',
  '- `discovery-get` hits a trivial upstream (the pure proxy hop); `mcp-call-*` use `calculate` (a worker',
  '  process evaluates it: its CPU is not counted), `add-*` the cheapest tool; `echo-call` and',
  '  `echo-call-enforced` put a third-party SDK v2 server behind a plain and an enforcing gateway.',
  '- **CPU us/request** = CPU time each process spent per completed request, from /proc; `loadgen` is',
  "  autocannon's own. **authz requests** = requests authz served during the gateway runs (its",
  '  `http_server_request_duration_seconds` count): mcp asks authz about a grant once and learns of revocations',
  '  by push, so a tools/call never calls authz.',
  '- `/token` rates are for a fixed number of codes (then of the refresh tokens they handed out), each spent once;',
  '  the signing rate is `crypto.sign` in a loop on one core, the ceiling of a token endpoint that signs each token.',
  '- Apps run compiled (dist, as `npm start` runs them), JSON request logs at info (discarded), NODE_ENV=production',
  '  for mcp and the gateway (authz needs its dev-token endpoint). The small reference and echo servers are',
  '  TypeScript compiled in memory.',
  '- Absolute numbers vary with machine load (other jobs share these 2 cores); compare ratios within one run.',
  '',
];

function renderToken(results: BenchResults): string[] {
  const token = results.token;
  if (!token) return [];
  const signing = token.signingPerSecond.reduce((a, b) => a + b, 0) / token.signingPerSecond.length;
  const row = (name: string, via: 'gateway' | 'direct', grant: 'authorizationCode' | 'refreshToken') => {
    const s = token[grant][via];
    return `| ${name} | ${via} | ${s.requestsPerSecond.toFixed(0)} | ${(s.requestsPerSecond / signing).toFixed(2)} | ${s.p50Ms} | ${cpuText(s.cpuUsPerRequest)} | ${s.errors + s.non2xx} |`;
  };
  const steps = ['register', 'authorize', 'token', 'toolsCall', 'total'] as const;
  return [
    '## Token endpoint and the first flow',
    '',
    `Raw RS256 signing on one core: ${token.signingPerSecond.map((r) => r.toFixed(0)).join(' and ')} signatures/s (before and after). ${token.codesPerRun} codes per run.`,
    '',
    '| grant | via | req/s | x signing | p50 ms | CPU us/request | errors+non2xx |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: |',
    row('authorization_code', 'gateway', 'authorizationCode'),
    row('authorization_code', 'direct', 'authorizationCode'),
    row('refresh_token', 'gateway', 'refreshToken'),
    row('refresh_token', 'direct', 'refreshToken'),
    '',
    `Full flow through the gateway, ${token.flowMs.length} flows one after another, p50 ms per step:`,
    '',
    `| ${steps.join(' | ')} |`,
    `| ${steps.map(() => '---:').join(' | ')} |`,
    `| ${steps.map((step) => median(token.flowMs.map((f) => f[step])).toFixed(1)).join(' | ')} |`,
    '',
  ];
}

function renderMemory(results: BenchResults): string[] {
  const memory = results.memory;
  if (!memory) return [];
  const apps = Object.keys(memory.rssMiB.boot);
  return [
    '## Memory',
    '',
    `RSS in MiB, idle: after boot, after ${memory.warmUpCalls} tools/call (warm-up), after ${memory.calls} more ` +
      `(${memory.load.requestsPerSecond.toFixed(0)} req/s through the gateway, ${memory.load.errors + memory.load.non2xx} errors).`,
    '',
    '| app | boot | warm | after |',
    '| --- | ---: | ---: | ---: |',
    ...apps.map(
      (app) =>
        `| ${app} | ${['boot', 'warm', 'after'].map((k) => memory.rssMiB[k as 'boot'][app]).join(' | ')} |`,
    ),
    '',
  ];
}

function renderStore(results: BenchResults): string[] {
  const store = results.store;
  if (!store) return [];
  const rows = Object.entries(store).flatMap(([backend, sizes]) =>
    sizes.map(
      (size) =>
        `| ${backend} | ${size.live} | ${Object.entries(size.medianUs)
          .map(([op, us]) => `${op} ${us}`)
          .join(', ')} | ${size.fillSeconds} |`,
    ),
  );
  return [
    '## Store operations',
    '',
    'Median microseconds per operation, one at a time, with that many live entries (half grants, half refresh tokens):',
    '',
    '| backend | live entries | median us per operation | fill s |',
    '| --- | ---: | --- | ---: |',
    ...rows,
    '',
  ];
}

/** Each measured section of latest.md, its `## ` heading first (a partial run splices these into the document). */
export function renderSections(results: BenchResults): string[][] {
  const throughput =
    results.throughput.length > 0 ? ['## Throughput', '', ...renderThroughput(results.throughput), ''] : [];
  return [
    throughput,
    renderToken(results),
    renderMemory(results),
    renderStore(results),
    renderCluster(results.cluster),
  ].filter((lines) => lines.length > 0);
}

/** bench/results/latest.md: targets first, then each section's numbers, then how to read them and the JSON. */
export function renderDocument(
  environment: Environment,
  results: BenchResults,
  targets: TargetRow[],
  chart: string,
): string {
  return [
    '# Benchmarks (latest run)',
    '',
    `Node ${environment.node}, ${environment.cpus}, ${environment.memoryGiB} GiB; ${environment.date}. Load average ` +
      `(1 / 5 / 15 min) ${load(environment.loadAverage.start)} at the start, ${load(environment.loadAverage.end)} at ` +
      `the end. ${environment.rounds} alternating rounds of ${environment.durationSeconds} s per target, ` +
      `${environment.connections} connections, loopback. Load generator, gateway, upstreams and reference run as ` +
      'separate processes on the same machine.',
    '',
    `![tools/call through the gateway, mcp direct and the SDK example](${chart})`,
    '',
    '## Targets (issue 15)',
    '',
    '| target | measured | met |',
    '| --- | --- | :-: |',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'yes' : 'no'} |`),
    '',
    ...renderSections(results).flat(),
    ...READING,
  ].join('\n');
}
