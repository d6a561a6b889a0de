import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { rawRequest } from './support/raw-request';
import { openStream, waitFor } from './support/sse';
import { TestUpstream } from './support/test-upstream';

// Jest runs ES modules here (no __dirname), always from the repository root.
const ROOT = process.cwd();

/** The gateway as `npm start` runs it: its own process, configured from the environment, via runMain. */
describe('gateway process', () => {
  let authz: TestUpstream;
  let mcp: TestUpstream;
  let child: ChildProcess;
  let exited: Promise<number | null>;
  const lines: string[] = [];
  let port = 0;

  beforeAll(async () => {
    authz = await new TestUpstream('authz').start();
    mcp = await new TestUpstream('mcp').start();
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/gateway/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          LOG_FORMAT: 'json',
          GATEWAY_PORT: '0',
          GATEWAY_HOST: '127.0.0.1',
          GATEWAY_ADMIN_PORT: '0',
          AUTHZ_UPSTREAM_URL: authz.url,
          MCP_UPSTREAM_URL: mcp.url,
          SHUTDOWN_GRACE_MS: '300',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    await waitFor(() => lines.some((line) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(line)), 60_000);
    port = Number(
      /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(lines.find((l) => l.includes('listening on'))!)![1],
    );
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([authz.stop(), mcp.stop()]);
  });

  it('logs proxied requests as JSON lines that carry the request id', async () => {
    const res = await rawRequest(port, '/token', {
      method: 'POST',
      headers: { 'x-request-id': 'log-test-0123456789' },
    });
    expect(res.status).toBe(200);
    const logged = () =>
      lines
        .filter((line) => line.startsWith('{'))
        .map(
          (line) =>
            JSON.parse(line) as { req?: { id?: string; path?: string }; res?: { statusCode?: number } },
        )
        .find((entry) => entry.req?.id === 'log-test-0123456789');
    await waitFor(() => logged() !== undefined);
    expect(logged()).toMatchObject({ req: { path: '/token' }, res: { statusCode: 200 } });
  });

  it('ends an open SSE stream within the grace period on SIGTERM and exits 0', async () => {
    let upstreamClosed = false;
    mcp.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: open\n\n');
      res.on('close', () => (upstreamClosed = true));
    };
    const stream = await openStream(port, '/mcp');
    await waitFor(() => stream.chunks.length > 0);

    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await stream.ended;
    await waitFor(() => upstreamClosed);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
