import { request } from 'node:http';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { bearer, rpc, startEnforcingGateway, type EnforcingGateway } from './support/enforcing-gateway';
import { startMcpUpstream } from './support/mcp-upstream';
import type { TestUpstream } from './support/test-upstream';

const MCP = ALL_MCP_SCOPES.join(' ');
const list = (method: string, id: number) => ({ jsonrpc: '2.0', id, method, params: {} });

const RULES = {
  scopes: ['echo:admin'],
  tools: { delete_everything: ['echo:admin'] },
  denyTools: ['debug'],
  prompts: { secret: ['echo:admin'] },
  resources: { 'file:///secret/*': ['echo:admin'] },
};

/** The events of an SSE body, as `{id, event, data}` records; comments as `{comment}`. */
function eventsOf(text: string): Record<string, string>[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        else {
          const at = line.indexOf(':');
          const field = line.slice(0, at);
          event[field] = (event[field] ? `${event[field]}\n` : '') + line.slice(at + 1).trimStart();
        }
      }
      return event;
    });
}

describe('list answers filtered to the token, JSON and SSE alike', () => {
  let gw: EnforcingGateway;
  let json: TestUpstream;
  let sse: TestUpstream;

  beforeAll(async () => {
    json = await startMcpUpstream('json');
    sse = await startMcpUpstream('sse', { sse: true });
    gw = await startEnforcingGateway([
      { path: '/json/mcp', upstream: `${json.url}/mcp`, ...RULES },
      { path: '/sse/mcp', upstream: `${sse.url}/mcp`, ...RULES },
    ]);
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([json?.stop(), sse?.stop()]);
  });

  const tokenFor = (path: string, scope: string) =>
    gw.authz.token({ base: gw.base, aud: `${gw.base}${path}`, scope });

  it('hides what a narrow token may not use in JSON answers, and shows it to a wide one', async () => {
    const narrow = bearer(await tokenFor('/json/mcp', MCP));
    const names = async (auth: Record<string, string>, method: string, field: string, key: string) => {
      const response = await rpc(`${gw.base}/json/mcp`, list(method, 3), {
        ...auth,
        'accept-encoding': 'gzip',
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        id: number;
        result: Record<string, { [k: string]: string }[]>;
      };
      expect(body.id).toBe(3);
      return body.result[field].map((item) => item[key]);
    };
    expect(await names(narrow, 'tools/list', 'tools', 'name')).toEqual(['echo']);
    expect(await names(narrow, 'prompts/list', 'prompts', 'name')).toEqual(['greeting']);
    expect(await names(narrow, 'resources/list', 'resources', 'uri')).toEqual(['file:///public.txt']);
    expect(await names(narrow, 'resources/templates/list', 'resourceTemplates', 'uriTemplate')).toEqual([
      'file:///public/{name}',
    ]);
    // The upstream was asked for an answer the gateway can read.
    expect(json.proxied().every((seen) => seen.headers['accept-encoding'] === undefined)).toBe(true);

    const wide = bearer(await tokenFor('/json/mcp', `${MCP} echo:admin`));
    // A denied tool stays hidden even from the widest token.
    expect(await names(wide, 'tools/list', 'tools', 'name')).toEqual(['echo', 'delete_everything']);
    expect(await names(wide, 'resources/list', 'resources', 'uri')).toHaveLength(2);
  });

  it('marks a cut 2026 list answer private for caching', async () => {
    const response = await rpc(
      `${gw.base}/json/mcp`,
      list('resources/templates/list', 5),
      bearer(await tokenFor('/json/mcp', MCP)),
    );
    expect(await response.json()).toMatchObject({ result: { cacheScope: 'private', ttlMs: 60_000 } });
  });

  it('filters each list answer of a batch and leaves the other answers alone', async () => {
    const batch = [list('tools/list', 1), { jsonrpc: '2.0', id: 2, method: 'ping' }, list('prompts/list', 3)];
    const response = await rpc(`${gw.base}/json/mcp`, batch, bearer(await tokenFor('/json/mcp', MCP)));
    expect(await response.json()).toEqual([
      { jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'echo' }] } },
      { jsonrpc: '2.0', id: 2, result: {} },
      { jsonrpc: '2.0', id: 3, result: { prompts: [{ name: 'greeting' }] } },
    ]);
  });

  it('rewrites the answer event of an SSE stream as it streams, keeping every other event and field', async () => {
    const response = await rpc(
      `${gw.base}/sse/mcp`,
      list('tools/list', 7),
      bearer(await tokenFor('/sse/mcp', MCP)),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('content-length')).toBeNull();
    const events = eventsOf(await response.text());
    expect(events).toEqual([
      { comment: 'a comment' },
      {
        id: '1',
        data: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { data: 'hi' } }),
      },
      {
        id: '2',
        event: 'message',
        data: JSON.stringify({ jsonrpc: '2.0', id: 7, result: { tools: [{ name: 'echo' }] } }),
      },
    ]);
  });

  it('delivers SSE events before the stream ends (nothing is held back whole)', async () => {
    const token = await tokenFor('/sse/mcp', MCP);
    const first = await new Promise<{ text: string; ended: boolean }>((resolve, reject) => {
      const req = request(`${gw.base}/sse/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(token) },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let ended = false;
        res.on('end', () => (ended = true));
        res.once('data', (chunk: Buffer) => {
          resolve({ text: chunk.toString(), ended });
          res.resume();
        });
      });
      req.end(JSON.stringify(list('tools/list', 8)));
    });
    // The upstream holds the end of its answer back 20 ms; the notification has already arrived by then.
    expect(first.ended).toBe(false);
    expect(first.text).toContain(': a comment');
  });
});
