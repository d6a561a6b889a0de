import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservePort } from './support/ports';

const ROOT = join(__dirname, '..');

async function healthz(port: number): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.status;
  } catch {
    return undefined;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not reached within ${timeoutMs} ms`);
}

/** The README's promise: `npm start` builds once and runs all three apps; Ctrl-C stops them all. */
describe('npm start', () => {
  let child: ChildProcess;
  let exited: Promise<void>;
  let output = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'stack-'));
  const ports = { gateway: 0, authz: 0, mcp: 0 };

  beforeAll(async () => {
    ports.gateway = await reservePort();
    ports.authz = await reservePort();
    ports.mcp = await reservePort();
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        GATEWAY_PORT: String(ports.gateway),
        AUTHZ_PORT: String(ports.authz),
        MCP_PORT: String(ports.mcp),
        GATEWAY_ADMIN_PORT: '0',
        AUTHZ_UPSTREAM_URL: `http://127.0.0.1:${ports.authz}`,
        MCP_UPSTREAM_URL: `http://127.0.0.1:${ports.mcp}`,
        AUTHZ_INTERNAL_URL: `http://127.0.0.1:${ports.authz}`,
        PUBLIC_URL: `http://localhost:${ports.gateway}`,
        AUTHZ_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
  });

  afterAll(() => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone: every app stopped as it should.
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz on the gateway, authz and mcp ports', async () => {
    await until(async () => {
      const statuses = await Promise.all(Object.values(ports).map(healthz));
      return statuses.every((status) => status === 200);
    }, 150_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- npm start output ---\n${output}`);
    });
    // Through the gateway to authz: the issuer follows the alias host the client used.
    const metadata = await fetch(`http://127.0.0.1:${ports.gateway}/.well-known/oauth-authorization-server`);
    expect(metadata.status).toBe(200);
    expect(((await metadata.json()) as { issuer: string }).issuer).toBe(`http://127.0.0.1:${ports.gateway}`);
    // Development listens on loopback by default: both loopback addresses, where the machine has IPv6.
    if (output.includes('and [::1]')) {
      const v6 = await fetch(`http://[::1]:${ports.gateway}/.well-known/oauth-authorization-server`);
      expect(((await v6.json()) as { issuer: string }).issuer).toBe(`http://[::1]:${ports.gateway}`);
    }
  }, 160_000);

  it('stops every app on Ctrl-C (SIGINT to the process group)', async () => {
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    // npm itself dies of the signal, as in a terminal; each app must drain and exit 0.
    await until(async () => (output.match(/exited with code 0/g) ?? []).length === 3, 15_000).catch(() => {
      throw new Error(`apps did not all exit 0:\n${output}`);
    });
    const statuses = await Promise.all(Object.values(ports).map(healthz));
    expect(statuses).toEqual([undefined, undefined, undefined]);
  }, 30_000);
});
