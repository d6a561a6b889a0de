import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from './paths';
import { reservePort } from './ports';

/**
 * The Inspector is pinned in its own package (tools/inspector), installed on first use by its run.js so that a
 * plain `npm ci` stays lean; it runs on the project's own Node (24, which meets its >= 22 requirement).
 */
const RUNNER = fromRoot('tools/inspector/run.js');
export const INSPECTOR_NODE = process.execPath;
export const INSPECTOR_LAUNCHER = fromRoot(
  'tools/inspector/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js',
);

/** A first run installs the Inspector (~300 MB from the npm registry) before anything starts. */
export const INSTALL_TIMEOUT_MS = 600_000;

/** Installs the Inspector when missing (several test files may ask at once: run.js serialises them). */
export function ensureInspectorInstalled(): void {
  if (existsSync(INSPECTOR_LAUNCHER)) return;
  execFileSync(process.execPath, [RUNNER, '--install-only'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface InspectorHome {
  dir: string;
  /** Environment that keeps the Inspector's catalog, OAuth state and secrets inside `dir`. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/** A throwaway home, so runs never read or leave a developer's ~/.mcp-inspector state. */
export async function createInspectorHome(): Promise<InspectorHome> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-e2e-inspector-'));
  // An empty catalog: otherwise the Inspector seeds example servers (npx packages, a public URL).
  await writeFile(join(dir, 'mcp.json'), JSON.stringify({ mcpServers: {} }), { mode: 0o600 });
  return {
    dir,
    env: {
      HOME: dir,
      MCP_STORAGE_DIR: join(dir, 'storage'),
      MCP_CATALOG_PATH: join(dir, 'mcp.json'),
      MCP_CLIENT_CONFIG_PATH: join(dir, 'client.json'),
      MCP_INSPECTOR_SECRET_STORE: 'file',
      MCP_INSPECTOR_SECRET_FILE: join(dir, 'secrets.json'),
      NO_COLOR: '1',
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** `mcp-inspector --cli ...`; killed (and reported) when it outlives `timeoutMs`. */
export function startInspectorCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): RunningCli {
  ensureInspectorInstalled();
  const child = spawn(INSPECTOR_NODE, [INSPECTOR_LAUNCHER, '--cli', ...args], {
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolveDone, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`inspector --cli ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveDone({ code, stdout, stderr });
    });
  });
  return { child, done };
}

export const runInspectorCli = (args: string[], env: Record<string, string>, timeoutMs?: number) =>
  startInspectorCli(args, env, timeoutMs).done;

export interface InspectorWeb {
  /** e.g. http://localhost:41234; the UI's redirect URI is `${origin}/oauth/callback`. */
  origin: string;
  apiToken: string;
  /** The Inspector's deep link that adds `serverUrl` with Streamable HTTP and connects at once. */
  deepLink(serverUrl: string): string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The web UI on an ephemeral port (CLIENT_PORT); the MCP Apps sandbox and app-origin servers take
 * OS-assigned ports too, the browser is never opened by the Inspector itself, and the API token is
 * ours, so the deep link's `autoConnect` CSRF gate accepts it.
 */
export async function startInspectorWeb(home: InspectorHome, uiHost = 'localhost'): Promise<InspectorWeb> {
  ensureInspectorInstalled();
  const port = await reservePort();
  const apiToken = randomBytes(24).toString('hex');
  const origin = `http://${uiHost}:${port}`;
  const child = spawn(INSPECTOR_NODE, [INSPECTOR_LAUNCHER, '--web'], {
    env: baseEnv({
      ...home.env,
      CLIENT_PORT: String(port),
      MCP_SANDBOX_PORT: '0',
      MCP_APP_ORIGIN_PORT: '0',
      MCP_AUTO_OPEN_ENABLED: 'false',
      MCP_INSPECTOR_API_TOKEN: apiToken,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`inspector web did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is up and running')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`inspector web exited with ${code}:\n${output}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    origin,
    apiToken,
    deepLink: (serverUrl) =>
      `${origin}/?${new URLSearchParams({ serverUrl, transport: 'http', autoConnect: apiToken }).toString()}`,
    output: () => output,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
