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

function averageCpu(samples: Sample[]): Record<string, number> {
  const names = new Set(samples.flatMap((s) => Object.keys(s.cpuUsPerRequest ?? {})));
  return Object.fromEntries(
    [...names].map((name) => [
      name,
      Math.round(mean(samples.map((s) => s.cpuUsPerRequest?.[name] ?? Number.NaN))),
    ]),
  );
}

function average(samples: Sample[]): Sample {
  return {
    cpuUsPerRequest: averageCpu(samples),
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

const cpuText = (cpu: Record<string, number> | undefined) =>
  Object.entries(cpu ?? {})
    .map(([name, us]) => `${name} ${us}`)
    .join(', ');

/** What the numbers mean; a ratio without its baseline is easy to misread. */
const READING = [
  '## How to read this',
  '',
  '- **throughput ratio** = gateway req/s / direct req/s for the same request, same connections. It says how',
  "  much of the _upstream's_ capacity survives the extra hop, so it depends on how much work the upstream does:",
  '  - `discovery-get` hits a trivial upstream that answers from memory (~40 us CPU), so the ratio is the pure',
  "    proxy cost: the gateway's own ~110-130 us per request (mostly Node's HTTP stack, parsing",
  '    and writing the request and response a second time) on a 2-core machine that also runs the load',
  '    generator and the upstream. A low ratio here is expected and is NOT what an MCP client sees.',
  '  - `mcp-call-*` is the real path: mcp (the cached access-token check, scope check, the SDK) costs',
  "    far more per request than the hop, so the ratio shows the gateway's real-world overhead.",
  '  - `echo-call` and `echo-call-enforced` put a third-party MCP server (the official SDK v2, no auth of its own)',
  '    behind the gateway: plainly proxied, then checked by the gateway itself (GATEWAY_RESOURCES_FILE: token from',
  '    the per-token cache, grant state pushed, header agreement, scopes, X-MCP-Identity signed once per token).',
  "    The difference in the gateway's CPU per request between the two rows is the cost of enforcement.",
  '- **p99 ratio** = gateway p99 / direct p99 latency under that load (queueing included).',
  '- **CPU us/request** = CPU time each process spent per completed request, from /proc, for the direct run',
  '  and the gateway run. In `mcp-call-*`, `authz` is nearly idle: mcp asks it about a grant once and learns of',
  '  revocations by push (`/internal/revocations`), so no request calls authz; on the direct run `gateway` is idle.',
  "- Where mcp's time goes (cpu-prof of `mcp-call-*`): Node's HTTP stack and socket writes, the SDK's",
  '  Node<->Web Request conversion (@hono/node-server) and zod parsing, pino-http and the IPC to the',
  '  `calculate` worker (a repeated token costs a cache lookup, not an RS256 verify). `/mcp` is answered ahead of Express and Nest',
  '  (McpFrontDoor, mounted by the shared mountFrontDoors); server construction and Ajv are off the path (pooled',
  '  servers, one shared validator). `calculate` runs in a bounded worker process, so its time shows outside',
  '  `mcp`. authz answers `/internal/grants/{id}` and `/internal/revocations` ahead of Express too.',
  '- Apps run as deployed: JSON request logs at info (discarded), NODE_ENV=production for mcp and the gateway',
  '  (authz needs its dev-token endpoint), TypeScript compiled in memory without ts-node, whose `node:domain`',
  '  would tax every event (support/transpile.register.js).',
  '- Absolute numbers vary with machine load (other jobs share these 2 cores); compare ratios within one run.',
  '',
];

/** Markdown table for people, and the same numbers as JSON for tools. */
export function renderReport(environment: Record<string, unknown>, results: ScenarioResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.direct.requestsPerSecond.toFixed(0)} | ${r.gateway.requestsPerSecond.toFixed(0)} | ` +
      `${r.throughputRatio.toFixed(2)} | ${r.direct.p99Ms.toFixed(1)} | ${r.gateway.p99Ms.toFixed(1)} | ` +
      `${r.p99Ratio.toFixed(2)} | ${r.direct.errors + r.direct.non2xx} / ${r.gateway.errors + r.gateway.non2xx} |`,
  );
  const cpuRows = results.map(
    (r) => `| ${r.name} | ${cpuText(r.direct.cpuUsPerRequest)} | ${cpuText(r.gateway.cpuUsPerRequest)} |`,
  );
  return [
    '# Benchmarks: direct vs through the gateway (latest run)',
    '',
    `Node ${String(environment.node)}, ${String(environment.cpus)}; ${String(environment.rounds)} alternating rounds of ` +
      `${String(environment.durationSeconds)} s per target, ${String(environment.connections)} connections, loopback; ` +
      `${String(environment.date)}. Load generator, gateway and upstream(s) run as separate processes on the same machine.`,
    '',
    '| scenario | direct req/s | gateway req/s | throughput ratio | direct p99 ms | gateway p99 ms | p99 ratio | errors+non2xx (direct / gateway) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '| scenario | CPU us/request, direct run | CPU us/request, gateway run |',
    '| --- | --- | --- |',
    ...cpuRows,
    '',
    ...READING,
    '```json',
    JSON.stringify({ environment, results }, null, 2),
    '```',
    '',
  ].join('\n');
}
