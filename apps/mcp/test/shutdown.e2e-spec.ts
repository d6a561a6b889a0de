import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { FakeAuthz } from './support/fake-authz';
import { INITIALIZE, postMcp } from './support/mcp-harness';
import { modernRequest } from './support/modern-request';

// Jest runs ES modules here (no __dirname), always from the repository root.
const ROOT = process.cwd();
const GRACE_MS = 3000;

interface McpProcess {
  child: ChildProcess;
  base: string;
  lines: string[];
  exited: Promise<number | null>;
}

async function waitFor(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** mcp as `npm start` runs it: its own process, via runMain, with the test fixtures' slow tool. */
async function startMcp(authzUrl: string): Promise<McpProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/mcp/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        MCP_PORT: '0',
        MCP_HOST: '127.0.0.1',
        AUTHZ_INTERNAL_URL: authzUrl,
        MCP_CONFORMANCE_FIXTURES: 'true',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const listening = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
  await waitFor(() => lines.some((line) => listening.test(line)));
  const port = listening.exec(lines.find((line) => listening.test(line))!)![1];
  return { child, base: `http://127.0.0.1:${port}`, lines, exited };
}

const slowCall = (id: number, ms: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'test_slow_tool', arguments: { ms } },
});

/** The JSON-RPC messages of an SSE or JSON answer. */
type RpcMessage = {
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
};

function messagesOf(contentType: string | null, text: string): RpcMessage[] {
  if (contentType?.includes('text/event-stream')) {
    return text
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '') // not the priming event
      .map((line) => JSON.parse(line.slice(5)));
  }
  return text ? [JSON.parse(text)] : [];
}

/** SIGTERM with calls in flight: they finish within SHUTDOWN_GRACE_MS, or get a JSON-RPC error; never silence. */
describe('mcp process: graceful shutdown with tool calls in flight', () => {
  let authz: FakeAuthz;
  let mcp: McpProcess;

  beforeAll(async () => {
    authz = await FakeAuthz.start();
    mcp = await startMcp(authz.url);
  }, 90_000);

  afterAll(async () => {
    if (mcp?.child.exitCode === null) mcp.child.kill('SIGKILL');
    await authz?.close();
  });

  it('lets in-flight calls of both revisions finish, answers the one that cannot, refuses new work, exits 0', async () => {
    const bearer = { Authorization: `Bearer ${await authz.token({ base: mcp.base })}` };
    const init = await postMcp(mcp.base, INITIALIZE, bearer);
    await init.text();
    const session = {
      ...bearer,
      'Mcp-Session-Id': init.headers.get('mcp-session-id')!,
      'Mcp-Protocol-Version': '2025-11-25',
    };
    await (await postMcp(mcp.base, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();

    // In flight when SIGTERM arrives: a 2025 session call and a 2026-07-28 call that finish within the grace,
    // and a 2025 call that cannot.
    const answer = async (response: Promise<Response>) => {
      const res = await response;
      return { status: res.status, messages: messagesOf(res.headers.get('content-type'), await res.text()) };
    };
    const sessionCall = answer(postMcp(mcp.base, slowCall(2, 1000), session));
    const modern = modernRequest('tools/call', { name: 'test_slow_tool', arguments: { ms: 1000 } }, 3);
    const modernAnswer = answer(postMcp(mcp.base, modern.body, { ...bearer, ...modern.headers }));
    const endless = answer(postMcp(mcp.base, slowCall(4, 30_000), session));

    // A request pipelined behind a slow one on the same connection reaches the server after the signal.
    const pipelined = pipelinedAfterSignal(mcp.base, session);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    mcp.child.kill('SIGTERM');

    const finished = await sessionCall;
    expect(finished.status).toBe(200);
    expect(finished.messages).toEqual([
      expect.objectContaining({
        id: 2,
        result: expect.objectContaining({ content: [{ type: 'text', text: 'Answered after 1000 ms' }] }),
      }),
    ]);
    const modernFinished = await modernAnswer;
    expect(modernFinished.status).toBe(200);
    expect(modernFinished.messages[0]).toMatchObject({
      id: 3,
      result: { content: [{ text: 'Answered after 1000 ms' }] },
    });

    const cut = await endless;
    expect(cut.status).toBe(200);
    expect(cut.messages).toEqual([
      expect.objectContaining({
        id: 4,
        error: expect.objectContaining({ code: -32000, message: expect.stringMatching(/shutting down/) }),
      }),
    ]);

    const raw = await pipelined;
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toContain('Answered after 800 ms');
    expect(raw).toMatch(/HTTP\/1\.1 503 Service Unavailable\r\n(.+\r\n)*Connection: close\r\n/i);
    expect(raw).not.toContain('"id":10');
    await expect(postMcp(mcp.base, INITIALIZE, bearer)).rejects.toThrow(); // the listener is closed

    expect(await mcp.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(GRACE_MS + 2000);
    expect(mcp.lines.some((line) => line.includes('1 calls still running at shutdown'))).toBe(true);
  }, 60_000);
});

/**
 * Opens one connection and sends a slow 2025 session call on it (an SSE answer: its headers are out at once),
 * then a second request right behind it once the signal has been sent (HTTP/1.1 pipelining: the server reads
 * it after answering the first). Resolves with every byte the server wrote before closing the connection.
 */
function pipelinedAfterSignal(base: string, headers: Record<string, string>): Promise<string> {
  const { port } = new URL(base);
  const request = (body: string) =>
    [
      'POST /mcp HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      'Accept: application/json, text/event-stream',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(request(JSON.stringify(slowCall(9, 800))));
      setTimeout(() => socket.write(request(JSON.stringify(slowCall(10, 0)))), 600);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}
