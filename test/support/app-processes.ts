import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { reservePort } from './ports';

export type AppName = 'gateway' | 'authz' | 'mcp';

export interface AppProcess {
  readonly name: AppName;
  /** Every line the process printed, stdout and stderr. */
  readonly lines: string[];
  /** Lines that are JSON log lines (LOG_FORMAT=json), parsed. */
  json(): Record<string, unknown>[];
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const ROOT = process.cwd();

/** One app as `npx nest start <app>` runs it: its own process, its main.ts through runMain, env only. */
export function startAppProcess(name: AppName, env: Record<string, string>): AppProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${name}/src/main.ts`],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    lines,
    exited,
    json: () =>
      lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function waitForLine(app: AppProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = app.lines.find((line) => pattern.test(line));
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`${app.name}: no line matching ${pattern}:\n${app.lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ProcessStack {
  apps: Record<AppName, AppProcess>;
  ports: { gateway: number; authz: number; mcp: number; admin: number };
  base: string;
  stop(): Promise<void>;
}

/**
 * The three apps in three processes on reserved loopback ports, wired as in production, each configured by
 * `common` plus its own env; resolves once each has logged its banner.
 */
export async function startProcessStack(options: {
  common?: Record<string, string>;
  gateway?: Record<string, string>;
  authz?: Record<string, string>;
  mcp?: Record<string, string>;
}): Promise<ProcessStack> {
  const ports = {
    gateway: await reservePort(),
    authz: await reservePort(),
    mcp: await reservePort(),
    admin: await reservePort(),
  };
  const base = `http://localhost:${ports.gateway}`;
  const common = {
    NODE_ENV: 'test',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    PUBLIC_URL: base,
    ...options.common,
  };
  const apps = {
    authz: startAppProcess('authz', { ...common, AUTHZ_PORT: String(ports.authz), ...options.authz }),
    mcp: startAppProcess('mcp', {
      ...common,
      MCP_PORT: String(ports.mcp),
      AUTHZ_INTERNAL_URL: `http://127.0.0.1:${ports.authz}`,
      ...options.mcp,
    }),
    gateway: startAppProcess('gateway', {
      ...common,
      GATEWAY_PORT: String(ports.gateway),
      GATEWAY_ADMIN_PORT: String(ports.admin),
      AUTHZ_UPSTREAM_URL: `http://127.0.0.1:${ports.authz}`,
      MCP_UPSTREAM_URL: `http://127.0.0.1:${ports.mcp}`,
      ...options.gateway,
    }),
  };
  const stop = async () => {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
  };
  try {
    await Promise.all(Object.values(apps).map((app) => waitForLine(app, /listening on http/)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { apps, ports, base, stop };
}
