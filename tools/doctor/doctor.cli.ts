/*
 * `npm run doctor -- <public MCP URL> [--json] [--origin <browser origin>] [--timeout <ms>]`: checks what the
 * strictest MCP clients check, prints each result with a fix, and exits non-zero when anything failed.
 */
import { formatReport } from './report';
import { DEFAULT_BROWSER_ORIGIN, runDoctor } from './run-doctor';

const USAGE = `usage: npm run doctor -- <public MCP URL> [--json] [--origin <browser origin>] [--timeout <ms>]
  e.g. npm run doctor -- https://mcp.example.com/mcp
  --json      machine-readable report (for CI)
  --origin    the browser origin whose CORS access is checked (default ${DEFAULT_BROWSER_ORIGIN})
  --timeout   per-request timeout in milliseconds (default 10000)`;

interface Arguments {
  url: string;
  json: boolean;
  origin?: string;
  timeoutMs?: number;
}

export function parseArguments(argv: string[]): Arguments | string {
  const rest = [...argv];
  let url: string | undefined;
  const parsed: Partial<Arguments> = { json: false };
  while (rest.length > 0) {
    const arg = rest.shift()!;
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const value = () => inline ?? rest.shift();
    if (arg === '-h' || arg === '--help') return USAGE;
    else if (flag === '--json') parsed.json = true;
    else if (flag === '--origin') parsed.origin = value();
    else if (flag === '--timeout') parsed.timeoutMs = Number(value());
    else if (arg.startsWith('-')) return `unknown option ${arg}\n${USAGE}`;
    else if (url === undefined) url = arg;
    else return `one URL only\n${USAGE}`;
  }
  if (!url) return USAGE;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    return `not an http(s) URL: ${url}\n${USAGE}`;
  if (parsed.origin !== undefined && !URL.canParse(parsed.origin)) return `not an origin: ${parsed.origin}`;
  if (parsed.timeoutMs !== undefined && !(parsed.timeoutMs > 0))
    return 'the timeout must be a positive number of milliseconds';
  return { url, json: parsed.json ?? false, origin: parsed.origin, timeoutMs: parsed.timeoutMs };
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    process.exit(2);
  }
  const report = await runDoctor(args.url, { browserOrigin: args.origin, timeoutMs: args.timeoutMs });
  console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
}

if (require.main === module) void main();
