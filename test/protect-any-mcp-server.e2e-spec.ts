import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import type { EchoMcpServer } from './support/echo-mcp-server';
import { GatewayOAuthClient } from './support/gateway-oauth';
import { parseBearerChallenge } from './support/mcp-http';
import { actAsUser, codeFrom } from './support/oauth-user';
import {
  completeAuthorization,
  connectWithUser,
  HeadlessOAuthProvider,
  newClient,
  recordingFetch,
  UnauthorizedError,
  type RecordedExchange,
} from './support/sdk-oauth';
import { runDoctor } from '../tools/doctor/run-doctor';
import { startProtectedStack, type ProtectedStack } from './support/protected-stack';
import type { Stack } from './support/stack';

const MCP = ALL_MCP_SCOPES.join(' ');
const MODERN = '2026-07-28';

/** A 2026-07-28 request as the spec frames it: the revision in `_meta`, the standard headers beside it. */
function modernRequest(method: string, params: Record<string, unknown>, name?: string) {
  const body = {
    jsonrpc: '2.0',
    id: 1,
    method,
    params: {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN,
        'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
  };
  if (name !== undefined) headers['mcp-name'] = name;
  return { body, headers };
}

/** POSTs a modernRequest, with a bearer token when given. */
function post(url: string, request: ReturnType<typeof modernRequest>, token?: string): Promise<Response> {
  const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return fetch(url, {
    method: 'POST',
    headers: { ...request.headers, ...auth },
    body: JSON.stringify(request.body),
  });
}

/**
 * A third-party MCP server with no authentication at all (official SDK v2, two instances), protected by the gateway
 * at /echo/mcp with `delete_everything` needing `echo:admin`, next to the bundled server at /mcp in the same stack.
 */
describe('Protect any MCP server: the gateway enforces OAuth for a third-party upstream', () => {
  let protectedStack: ProtectedStack;
  let echoA: EchoMcpServer;
  let echoB: EchoMcpServer;
  let stack: Stack;

  beforeAll(async () => {
    protectedStack = await startProtectedStack(2);
    ({ stack } = protectedStack);
    [echoA, echoB] = protectedStack.echo;
  }, 60_000);

  afterAll(() => protectedStack?.stop());

  const echoUrl = () => `${stack.baseUrl()}/echo/mcp`;
  const upstreamRequests = () => [...echoA.requests, ...echoB.requests];

  it('answers no token with a 401 pointing at its own metadata, and authz knows the resource', async () => {
    const refused = await post(echoUrl(), modernRequest('tools/list', {}));
    expect(refused.status).toBe(401);
    const challenge = parseBearerChallenge(refused.headers.get('www-authenticate') ?? undefined);
    expect(challenge.resource_metadata).toBe(
      `${stack.baseUrl()}/.well-known/oauth-protected-resource/echo/mcp`,
    );
    const metadata = (await (await fetch(challenge.resource_metadata)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      resource: echoUrl(),
      authorization_servers: [stack.baseUrl()],
      resource_name: 'Echo',
    });
    expect(metadata.scopes_supported).toContain('echo:admin');
    const as = await fetch(`${stack.baseUrl()}/.well-known/oauth-authorization-server/echo/mcp`);
    expect(as.status).toBe(200);
    expect(((await as.json()) as { scopes_supported: string[] }).scopes_supported).toContain('echo:admin');
    expect(upstreamRequests()).toEqual([]);
  });

  it('passes every check of npm run doctor at /echo/mcp, as strict clients walk it', async () => {
    const report = await runDoctor(echoUrl());
    expect(report.checks.filter((result) => result.status !== 'pass')).toEqual([]);
  });

  it('lets the SDK client authorize for /echo/mcp on its own (401 discovery, DCR, PKCE, resource), then steps it up for delete_everything', async () => {
    const exchanges: RecordedExchange[] = [];
    const fetchFn = recordingFetch(exchanges);
    const provider = new HeadlessOAuthProvider({
      redirectUrl: 'http://127.0.0.1:45998/callback',
      keepRefreshToken: false,
    });
    const first = newClient(echoUrl(), provider, fetchFn);
    await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const authorizationUrl = provider.takeAuthorizationUrl();
    expect(authorizationUrl.searchParams.get('resource')).toBe(echoUrl());
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(exchanges.some((e) => e.url.endsWith('/register') && e.status === 201)).toBe(true);
    const { redirect, consentPage } = await actAsUser(authorizationUrl);
    expect(consentPage?.text).toContain('Echo (A third-party server that says things back)');
    await first.transport.finishAuth(
      codeFrom(redirect, { state: provider.lastState, issuer: stack.baseUrl() }),
    );
    expect(decodeJwt(provider.tokens()!.access_token).aud).toBe(echoUrl());

    const connected = newClient(echoUrl(), provider, fetchFn);
    await connected.client.connect(connected.transport);
    try {
      // The narrow token neither sees nor runs delete_everything.
      expect((await connected.client.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
      const echoed = await connected.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
      expect(echoed.content).toEqual([{ type: 'text', text: 'echo: hi' }]);

      const remove = () => connected.client.callTool({ name: 'delete_everything', arguments: {} });
      await expect(remove()).rejects.toBeInstanceOf(UnauthorizedError);
      const refused = exchanges.find((e) => e.url === echoUrl() && e.status === 403);
      const challenge = parseBearerChallenge(refused!.wwwAuthenticate ?? undefined);
      expect(challenge.error).toBe('insufficient_scope');
      expect(challenge.scope.split(' ')).toEqual(expect.arrayContaining(['mcp:tools:execute', 'echo:admin']));
      const stepUp = await completeAuthorization(connected.transport, provider);
      expect(stepUp.searchParams.get('scope')?.split(' ')).toContain('echo:admin');
      expect(stepUp.searchParams.get('resource')).toBe(echoUrl());
      expect(await remove()).toMatchObject({ content: [{ type: 'text', text: 'everything deleted' }] });
      expect((await connected.client.listTools()).tools.map((tool) => tool.name)).toEqual([
        'echo',
        'delete_everything',
      ]);

      // One 2025 session, served by one instance of the two, whatever the round-robin did meanwhile.
      const sessionId = connected.transport.sessionId!;
      const onA = echoA.requests.filter((r) => r.headers['mcp-session-id'] === sessionId).length;
      const onB = echoB.requests.filter((r) => r.headers['mcp-session-id'] === sessionId).length;
      expect(Math.min(onA, onB)).toBe(0);
      expect(Math.max(onA, onB)).toBeGreaterThanOrEqual(5);
    } finally {
      await connected.close();
    }
  });

  it('never hands the upstream a bearer token; its X-MCP-Identity verifies with the gateway key and expires', async () => {
    const seen = upstreamRequests().filter((request) => request.rpcMethod === 'tools/call');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((request) => request.headers.authorization === undefined)).toBe(true);
    const { headers } = seen.at(-1)!;
    expect(headers['x-mcp-scopes']).toContain('echo:admin');
    expect(headers['x-mcp-subject']).toBe('developer');
    const publicUrl = stack.baseUrl();
    const jwks = createRemoteJWKSet(new URL(`${publicUrl}/gateway/jwks.json`));
    const verify = (currentDate?: Date) =>
      jwtVerify(String(headers['x-mcp-identity']), jwks, {
        issuer: publicUrl,
        audience: `${publicUrl}/echo/mcp`,
        algorithms: ['ES256'],
        ...(currentDate ? { currentDate } : {}),
      });
    const { payload } = await verify();
    expect(payload).toMatchObject({ sub: 'developer', client_id: headers['x-mcp-client-id'] });
    expect(payload.exp! - payload.iat!).toBe(60);
    await expect(verify(new Date((payload.exp! + 1) * 1000))).rejects.toThrow(/exp/);
  });

  it('serves the bundled /mcp through the same stack, with the SDK client’s own OAuth', async () => {
    const provider = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:45997/callback' });
    const connected = await connectWithUser(stack.mcpUrl(), provider);
    try {
      expect(decodeJwt(provider.tokens()!.access_token).aud).toBe(stack.mcpUrl());
      const result = await connected.client.callTool({
        name: 'calculate',
        arguments: { expression: '2 + 3 * 4' },
      });
      expect(JSON.stringify(result.content)).toContain('14');
    } finally {
      await connected.close();
    }
  });

  it('refuses a token minted for /mcp at /echo/mcp and one minted for /echo/mcp at /mcp', async () => {
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:45996/cb');
    const forMcp = await oauth.tokens({ scope: MCP });
    const forEcho = await oauth.tokens({ resource: echoUrl(), scope: MCP });
    const at = (url: string, token: string) => post(url, modernRequest('tools/list', {}), token);
    expect((await at(echoUrl(), forEcho.access_token)).status).toBe(200);
    expect((await at(stack.mcpUrl(), forMcp.access_token)).status).toBe(200);
    const crossed = await at(echoUrl(), forMcp.access_token);
    expect(crossed.status).toBe(401);
    expect(parseBearerChallenge(crossed.headers.get('www-authenticate') ?? undefined).error).toBe(
      'invalid_token',
    );
    expect((await at(stack.mcpUrl(), forEcho.access_token)).status).toBe(401);
  });

  it('filters 2026-07-28 JSON list answers, refuses header/body disagreement, and spreads those requests over the instances', async () => {
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:45995/cb');
    const { access_token: token } = await oauth.tokens({ resource: echoUrl(), scope: MCP });
    const send = (request: ReturnType<typeof modernRequest>) => post(echoUrl(), request, token);
    const before = { a: echoA.requests.length, b: echoB.requests.length };
    const listed = await send(modernRequest('tools/list', {}));
    expect(listed.headers.get('content-type')).toMatch(/application\/json/);
    const { result } = (await listed.json()) as { result: { tools: { name: string }[] } };
    expect(result.tools.map((tool) => tool.name)).toEqual(['echo']);

    const mismatch = modernRequest(
      'tools/call',
      { name: 'echo', arguments: { text: 'x' } },
      'delete_everything',
    );
    const refused = await send(mismatch);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: -32020 } });

    for (let i = 0; i < 4; i++) {
      const called = await send(
        modernRequest('tools/call', { name: 'echo', arguments: { text: `${i}` } }, 'echo'),
      );
      expect(called.status).toBe(200);
    }
    // Five requests reached the upstream (the mismatch never did), split over both instances.
    const after = { a: echoA.requests.length - before.a, b: echoB.requests.length - before.b };
    expect(after.a + after.b).toBe(5);
    expect(Math.min(after.a, after.b)).toBeGreaterThanOrEqual(2);
  });

  it('refuses a revoked token at /echo/mcp', async () => {
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:45994/cb');
    const { access_token: token } = await oauth.tokens({ resource: echoUrl(), scope: MCP });
    const call = modernRequest('tools/call', { name: 'echo', arguments: { text: 'x' } }, 'echo');
    const send = () => post(echoUrl(), call, token);
    expect((await send()).status).toBe(200);
    expect((await oauth.revoke(token)).status).toBe(200);
    const started = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - started < 2000) status = (await send()).status;
    expect(status).toBe(401);
  });
});
