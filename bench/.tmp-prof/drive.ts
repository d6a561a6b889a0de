import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };

function start(env: Record<string, string>, extra: string[] = []): Promise<{ url: string; pid: number; kill: () => Promise<void> }> {
  const child = fork('/work/main/bench/support/app.server.ts', [], {
    execArgv: [...extra, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: '/work/main',
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (c) => reject(new Error('exit ' + c)));
    child.once('message', (m: any) => resolve({ url: `http://127.0.0.1:${m.port}`, pid: child.pid!, kill: () => new Promise((d) => { child.once('exit', () => d()); child.kill('SIGTERM'); }) }));
  });
}

async function main() {
  const stateless = process.env.STATELESS === 'true';
  const authz = await start({ BENCH_APP: 'authz', AUTHZ_DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-authz-')) }, process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof/out/authz'] : []);
  const mcp = await start({ BENCH_APP: 'mcp', AUTHZ_INTERNAL_URL: authz.url, MCP_STATELESS: String(stateless) },
    process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof/out/mcp'] : []);
  const port = new URL(mcp.url).port;
  const tok = await (await fetch(`${authz.url}/auth/token`, { method: 'POST', headers: { 'x-forwarded-host': `127.0.0.1:${port}` } })).json() as any;
  const headers: Record<string, string> = { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (!stateless) {
    const init = await fetch(`${mcp.url}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'b', version: '1' } } }) });
    headers['mcp-session-id'] = init.headers.get('mcp-session-id')!; await init.text();
    headers['mcp-protocol-version'] = '2025-11-25';
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'calculate', arguments: { expression: '2 * (3 + 4) ^ 2' } } });
  const probe = await fetch(`${mcp.url}/mcp`, { method: 'POST', headers, body });
  console.log(probe.status, (await probe.text()).slice(0, 300));
  await autocannon({ url: `${mcp.url}/mcp`, method: 'POST', headers, body, connections: 8, duration: 3 });
  const c0 = [cpu(mcp.pid), cpu(authz.pid)];
  const r = await autocannon({ url: `${mcp.url}/mcp`, method: 'POST', headers, body, connections: Number(process.env.CONN ?? 16), duration: Number(process.env.DUR ?? 5) });
  const c1 = [cpu(mcp.pid), cpu(authz.pid)]; const n = r.requests.total;
  console.log('total', n, 'mcp us/req', ((c1[0] - c0[0]) * 1000 / n).toFixed(0), 'authz us/req', ((c1[1] - c0[1]) * 1000 / n).toFixed(0));
  console.log('req/s', r.requests.average, 'p50', r.latency.p50, 'p99', r.latency.p99, 'non2xx', r.non2xx, 'errors', r.errors);
  await mcp.kill(); await authz.kill();
}
main().catch((e) => { console.error(e); process.exit(1); });
