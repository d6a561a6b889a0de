import { INITIALIZE, postMcp, startHarness, type Harness } from './support/mcp-harness';

const CALL = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'calculate', arguments: { expression: '6 * 7' } },
};

/** What a client can observe of an answer, minus what differs per request. */
async function observe(response: Response) {
  const headers = Object.fromEntries(
    ['content-type', 'cache-control', 'www-authenticate', 'allow', 'retry-after'].map((name) => [
      name,
      response.headers.get(name),
    ]),
  );
  return { status: response.status, headers, body: await response.text() };
}

/**
 * `/mcp` is answered by McpFrontDoorService ahead of Express; other spellings (trailing slash) still reach the
 * Nest route. Both must refuse and serve exactly alike.
 */
describe('mcp front door: /mcp and the Nest route answer alike', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({ MCP_STATELESS: 'true' });
    token = await harness.authz.token({ base: harness.base, sub: 'alice', clientId: 'test-client' });
  });

  afterAll(() => harness?.close());

  const both = async (send: (path: string) => Promise<Response>) => {
    const front = await observe(await send('/mcp'));
    const nest = await observe(await send('/mcp/'));
    expect(front).toEqual(nest);
    return front;
  };

  it('refuses a request without a token with the same 401 challenge', async () => {
    const answer = await both((path) => postMcp(harness.base, CALL, {}, path));
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain('resource_metadata=');
  });

  it('refuses a foreign Origin, a non-JSON body and malformed JSON the same way', async () => {
    const bearer = { Authorization: `Bearer ${token}` };
    const origin = await both((path) =>
      postMcp(harness.base, CALL, { ...bearer, Origin: 'https://evil.example' }, path),
    );
    expect(origin.status).toBe(403);
    const text = await both((path) =>
      postMcp(harness.base, CALL, { ...bearer, 'Content-Type': 'text/plain' }, path),
    );
    expect(text.status).toBe(415);
    const broken = await both((path) =>
      fetch(`${harness.base}${path}`, {
        method: 'POST',
        headers: {
          ...bearer,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: '{"jsonrpc":',
      }),
    );
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe(-32700);
  });

  it('answers other methods with 405 and Allow, GET with the stateless 405', async () => {
    const bearer = { Authorization: `Bearer ${token}` };
    const put = await both((path) => fetch(`${harness.base}${path}`, { method: 'PUT', headers: bearer }));
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
    const get = await both((path) => fetch(`${harness.base}${path}`, { headers: bearer }));
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('serves tools/call and initialize through the SDK on both', async () => {
    const bearer = { Authorization: `Bearer ${token}` };
    const call = await both((path) => postMcp(harness.base, CALL, bearer, path));
    expect(call.status).toBe(200);
    expect(call.body).toContain('42');
    const init = await both((path) => postMcp(harness.base, INITIALIZE, bearer, path));
    expect(init.status).toBe(200);
    expect(init.body).toContain('"protocolVersion"');
  });

  it('leaves every other path to Nest', async () => {
    const health = await fetch(`${harness.base}/healthz`);
    expect(health.status).toBe(200);
    const metadata = await fetch(`${harness.base}/.well-known/oauth-protected-resource/mcp`);
    expect(metadata.status).toBe(200);
  });
});
