import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, type AppName } from './support/app-processes';
import { reservePort } from './support/ports';

jest.setTimeout(90_000);

/** Runs one app to its end; every line it printed. */
async function runToExit(
  name: AppName,
  env: Record<string, string>,
): Promise<{ lines: string[]; code: number | null }> {
  const app = startAppProcess(name, { NODE_ENV: 'test', LOG_LEVEL: 'info', ...env });
  const code = await app.exited;
  return { lines: app.lines.filter((line) => line.trim() !== ''), code };
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** What a new user meets when something is in the way: one line saying what to change, and exit 1. */
describe('a failed start prints one line naming the variable to change', () => {
  let holder: Server;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'first-hour-'));

  beforeAll(async () => {
    port = await reservePort();
    holder = await occupy(port);
  });
  afterAll(async () => {
    await new Promise((resolve) => holder.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [
      'gateway',
      { GATEWAY_PORT: '{port}', GATEWAY_HOST: '127.0.0.1', GATEWAY_ADMIN_PORT: '0' },
      'GATEWAY_PORT',
    ],
    ['authz', { AUTHZ_PORT: '{port}', AUTHZ_DATA_DIR: '{dir}/authz' }, 'AUTHZ_PORT'],
    ['mcp', { MCP_PORT: '{port}' }, 'MCP_PORT'],
  ] as const)('%s on a port in use', async (name, template, variable) => {
    const env = Object.fromEntries(
      Object.entries(template).map(([key, value]) => [
        key,
        value.replace('{port}', String(port)).replace('{dir}', dir),
      ]),
    );
    const { lines, code } = await runToExit(name, env);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `[${name}] 127.0.0.1 port ${port} is already in use: set ${variable} to a free port, or stop what holds it.`,
    ]);
  });

  it("the gateway's admin listener on a port in use", async () => {
    const { lines, code } = await runToExit('gateway', {
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_ADMIN_PORT: String(port),
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      `[gateway] 127.0.0.1 port ${port} is already in use: set GATEWAY_ADMIN_PORT to a free port, or stop what holds it.`,
    ]);
  });

  it('a data folder that cannot be made', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const { lines, code } = await runToExit('authz', {
      AUTHZ_PORT: '0',
      AUTHZ_DATA_DIR: join(file, 'authz'),
    });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[authz\] cannot use .*a-file.* \(ENOTDIR\): change AUTHZ_DATA_DIR/);
  });

  it('a malformed value', async () => {
    const { lines, code } = await runToExit('mcp', { MCP_PORT: 'eighty' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[mcp\] invalid configuration: MCP_PORT: /);
  });
});
