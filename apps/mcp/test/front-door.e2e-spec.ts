import { INITIALIZE, postMcp, startHarness, type Harness } from './support/mcp-harness';

const CALL = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'calculate', arguments: { expression: '6 * 7' } },
};

/**
 * `/mcp` is answered by McpFrontDoor ahead of Express, and only that exact path: Nest has no MCP route, so other
 * spellings (trailing slash, case) get Nest's 404 in the app's error shape and never run the MCP steps.
 */
describe('mcp front door', () => {
  let harness: Harness;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    harness = await startHarness({ MCP_STATELESS: 'true' });
    const token = await harness.authz.token({ base: harness.base, sub: 'alice', clientId: 'test-client' });
    bearer = { Authorization: `Bearer ${token}` };
  });

  afterAll(() => harness?.close());

  it.each(['/mcp/', '/MCP', '/Mcp'])(
    'answers %s with Nest 404, not a challenge or an MCP answer',
    async (path) => {
      for (const headers of [{}, bearer]) {
        const response = await postMcp(harness.base, CALL, headers, path);
        expect(response.status).toBe(404);
        expect(response.headers.get('www-authenticate')).toBeNull();
        expect(await response.json()).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: `Cannot POST ${path}`,
        });
      }
    },
  );

  it('refuses a request without a token with the 401 challenge', async () => {
    const response = await postMcp(harness.base, CALL);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a foreign Origin, a non-JSON body and malformed JSON, in that order of steps', async () => {
    const origin = await postMcp(harness.base, CALL, { Origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    const text = await postMcp(harness.base, CALL, { ...bearer, 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    const broken = await fetch(`${harness.base}/mcp`, {
      method: 'POST',
      headers: {
        ...bearer,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it('answers other methods with 405 and Allow, GET with the stateless 405', async () => {
    const put = await fetch(`${harness.base}/mcp`, { method: 'PUT', headers: bearer });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
    expect(((await put.json()) as { id: unknown }).id).toBeNull();
    const get = await fetch(`${harness.base}/mcp`, { headers: bearer });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('serves tools/call and initialize through the SDK', async () => {
    const call = await postMcp(harness.base, CALL, bearer);
    expect(call.status).toBe(200);
    expect(await call.text()).toContain('42');
    const init = await postMcp(harness.base, INITIALIZE, bearer);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('"protocolVersion"');
  });

  it('leaves every other path to Nest', async () => {
    expect((await fetch(`${harness.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${harness.base}/.well-known/oauth-protected-resource/mcp`)).status).toBe(200);
  });
});
