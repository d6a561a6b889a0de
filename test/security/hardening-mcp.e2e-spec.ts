import { connect } from 'node:net';
import { CallDrain } from '../../apps/mcp/src/transport/call-drain';
import {
  postMcp,
  startAttackStack,
  toolText,
  modernToolCall,
  type AttackStack,
} from './support/attack-stack';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'attack-suite', version: '1' },
  },
};
const SESSION_VERSION = { 'MCP-Protocol-Version': '2025-11-25' };
const LIST_TOOLS = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

/** Sends raw bytes to the gateway; resolves with what came back before it closed or fell silent. */
function raw(port: number, bytes: string, idleMs = 500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    let idle = setTimeout(() => socket.destroy(), idleMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      clearTimeout(idle);
      idle = setTimeout(() => socket.destroy(), idleMs);
    });
    socket.on('close', () => {
      clearTimeout(idle);
      resolve(data);
    });
    socket.on('error', () => undefined);
  });
}

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * The MCP attacks of issue 16, kept: one user evicting everyone's sessions (#4), calls cut by a shutdown (#6),
 * an empty JSON-RPC batch, the IPv6 loopback alias, and 100 Continue before a 413.
 */
describe('security: issue 16 MCP attacks', () => {
  let stack: AttackStack;

  beforeAll(async () => {
    stack = await startAttackStack({
      mcp: {
        MCP_MAX_SESSIONS: '6',
        MCP_MAX_SESSIONS_PER_SUBJECT: '3',
        MCP_CONFORMANCE_FIXTURES: 'true',
        SHUTDOWN_GRACE_MS: '1500',
      },
    });
  }, 60_000);
  afterAll(() => stack?.stop());

  async function openSession(token: string): Promise<{ status: number; id?: string; retryAfter?: string }> {
    const answer = await postMcp(stack.baseUrl(), token, INITIALIZE);
    const id = answer.headers.get('mcp-session-id') ?? undefined;
    if (id)
      await postMcp(
        stack.baseUrl(),
        token,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { 'Mcp-Session-Id': id, ...SESSION_VERSION },
      );
    return { status: answer.status, id, retryAfter: answer.headers.get('retry-after') ?? undefined };
  }

  const sessionWorks = async (token: string, id: string) =>
    (await postMcp(stack.baseUrl(), token, LIST_TOOLS, { 'Mcp-Session-Id': id, ...SESSION_VERSION }))
      .status === 200;

  it("#4 one user with many client ids cannot evict another user's session, and is capped per subject", async () => {
    const victim = await stack.mint('victim');
    const victimSession = (await openSession(victim)).id!;
    // Three attacker subjects, a fresh client id for every session (client ids are free through registration).
    const opened: { token: string; id: string }[] = [];
    for (let i = 0; i < 15; i++) {
      const token = await stack.mint(`mallory-${i % 3}`, { clientId: `registered-${i}` });
      const session = await openSession(token);
      expect(session.status).toBe(200);
      opened.push({ token, id: session.id! });
    }
    expect(await sessionWorks(victim, victimSession)).toBe(true);
    const alive = await Promise.all(opened.map(({ token, id }) => sessionWorks(token, id)));
    expect(alive.filter(Boolean)).toHaveLength(5); // six places: the victim's and five of theirs
  });

  it('#4 refuses a new subject with 429 and Retry-After once every subject holds a single session', async () => {
    const newcomers = await Promise.all([0, 1, 2].map((n) => stack.mint(`newcomer-${n}`)));
    // The first two take the attackers' surplus; then everyone holds exactly one.
    expect((await openSession(newcomers[0])).status).toBe(200);
    expect((await openSession(newcomers[1])).status).toBe(200);
    const refused = await openSession(newcomers[2]);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });

  it.each([
    ['a 2025 request without a session', {}],
    ['a 2026-07-28 request', { 'MCP-Protocol-Version': '2026-07-28' }],
  ])('answers an empty JSON-RPC batch as %s with the invalid-request error', async (_label, headers) => {
    const answer = await postMcp(stack.baseUrl(), await stack.mint('batcher'), [], headers);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  it('serves /mcp on the IPv6 loopback alias [::1] with a token issued there', async () => {
    const base = `http://[::1]:${stack.gatewayPort}`;
    const call = modernToolCall('add', { a: 1, b: 2 });
    const answer = await postMcp(base, await stack.mint('ipv6-user', { base }), call.body, call.headers);
    expect(answer.status).toBe(200);
    expect(answer.message?.result).toMatchObject({ structuredContent: { sum: 3 } });
  });

  it('answers an oversized Expect: 100-continue upload with 413 and no 100 Continue first', async () => {
    const reply = await raw(
      stack.gatewayPort,
      `POST /token HTTP/1.1\r\nHost: localhost:${stack.gatewayPort}\r\nContent-Length: 104857600\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).not.toContain('100 Continue');
  });

  it('#6 lets a call finish when mcp stops, and answers one that cannot with a JSON-RPC error', async () => {
    const token = await stack.mint('drain-user');
    const call = (ms: number, id: number) => {
      const request = modernToolCall('test_slow_tool', { ms }, id);
      return postMcp(stack.baseUrl(), token, request.body, request.headers);
    };
    const quick = call(1000, 1);
    const endless = call(30_000, 2);
    // Both calls are running in mcp (not still on their way through the gateway) when it stops.
    const drain = stack.mcpApp().get(CallDrain);
    while (drain.size < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await stack.restartMcp(); // closes mcp as a SIGTERM does (its shutdown hooks), then starts it again
    expect(toolText(await quick)).toBe('Answered after 1000 ms');
    const cut = await endless;
    expect(cut.status).toBe(200);
    expect(cut.message).toMatchObject({
      id: 2,
      error: { code: -32000, message: expect.stringMatching(/shutting down/) },
    });
  });
});
