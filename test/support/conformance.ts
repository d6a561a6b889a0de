import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from './paths';

/** One check as the suite writes it to `<output>/<scenario>-<time>/checks.json`. */
export interface ConformanceCheck {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

export interface ScenarioResult {
  scenario: string;
  checks: ConformanceCheck[];
  failed: ConformanceCheck[];
}

export interface ConformanceRun {
  exitCode: number | null;
  output: string;
  scenarios: ScenarioResult[];
}

const CLI = fromRoot('node_modules/@modelcontextprotocol/conformance/dist/index.js');

/**
 * Runs the official conformance CLI (`@modelcontextprotocol/conformance`, pinned in devDependencies) in a child
 * process and reads every scenario's checks.json back, so a test can name exactly which check failed.
 */
export async function runConformance(
  args: string[],
  options: { timeoutMs: number; onOutput?: (chunk: string, all: string) => void },
): Promise<ConformanceRun> {
  const outputDir = await mkdtemp(join(tmpdir(), 'mcp-conformance-'));
  try {
    const child = spawn(process.execPath, [CLI, ...args, '--output-dir', outputDir], {
      cwd: outputDir,
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      options.onOutput?.(text, output);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    return { exitCode, output, scenarios: await readResults(outputDir) };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

/** Result folders are `server-<scenario>-<ISO time>` (or `<scenario>-<time>` for other modes). */
async function readResults(outputDir: string): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const entry of (await readdir(outputDir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory()) continue;
    const text = await readFile(join(outputDir, entry.name, 'checks.json'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const checks = JSON.parse(text) as ConformanceCheck[];
    const scenario = entry.name
      .replace(/^(server|authorization-server)-/, '')
      .replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    results.push({ scenario, checks, failed: checks.filter((check) => check.status === 'FAILURE') });
  }
  return results;
}
