import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { verifyAccessToken } from './support/mcp-http';
import {
  connectWithUser,
  HeadlessOAuthProvider,
  recordingFetch,
  type ConnectedClient,
  type RecordedExchange,
} from './support/sdk-oauth';
import { startStack, type Stack } from './support/stack';
import { startingWith } from './support/matchers';

const textOf = (result: unknown): string =>
  JSON.stringify((result as { content?: unknown }).content ?? result);

async function calculate(connected: ConnectedClient): Promise<string> {
  const result = await connected.client.callTool({
    name: 'calculate',
    arguments: { expression: '2 + 3 * 4' },
  });
  expect(result.isError ?? false).toBe(false);
  return textOf(result);
}

/** The official SDK client (StreamableHTTPClientTransport + OAuthClientProvider) given only `<gateway>/mcp`. */
describe('the MCP SDK client authorizes itself through the gateway', () => {
  let stack: Stack;
  const open: ConnectedClient[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((connected) => connected.close().catch(() => undefined)));
  });

  afterAll(() => stack?.stop());

  it('discovers, registers dynamically, gets consent and calls tools', async () => {
    const exchanges: RecordedExchange[] = [];
    const provider = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:33418/oauth/callback' });
    const connected = await connectWithUser(stack.mcpUrl(), provider, recordingFetch(exchanges));
    open.push(connected);

    const base = stack.baseUrl();
    expect(exchanges[0]).toMatchObject({ url: `${base}/mcp`, status: 401 });
    expect(
      exchanges.some((e) => e.url === `${base}/.well-known/oauth-protected-resource/mcp` && e.status === 200),
    ).toBe(true);
    expect(
      exchanges.some((e) => e.method === 'POST' && e.url === `${base}/register` && e.status === 201),
    ).toBe(true);
    const clientId = provider.clientInformation()?.client_id;
    expect(clientId).toEqual(expect.any(String));
    expect(clientId).not.toBe('mcp-inspector-client');

    const authorizationUrl = provider.takeAuthorizationUrl();
    expect(authorizationUrl.href).toEqual(startingWith(`${base}/authorize?`));
    expect(authorizationUrl.searchParams.get('resource')).toBe(stack.mcpUrl());
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

    const { tools } = await connected.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['calculate', 'add']));
    expect(await calculate(connected)).toContain('14');

    const accessToken = provider.tokens()!.access_token;
    const claims = await verifyAccessToken(accessToken, {
      jwksUri: `${base}/.well-known/jwks.json`,
      issuer: base,
      audience: stack.mcpUrl(),
    });
    expect(claims.client_id).toBe(clientId);
  });

  it('uses the pre-registered mcp-inspector-client without registering', async () => {
    const exchanges: RecordedExchange[] = [];
    const provider = new HeadlessOAuthProvider({
      clientId: 'mcp-inspector-client',
      redirectUrl: 'http://localhost:6274/oauth/callback',
    });
    const connected = await connectWithUser(stack.mcpUrl(), provider, recordingFetch(exchanges));
    open.push(connected);

    expect(exchanges.some((e) => e.url.endsWith('/register'))).toBe(false);
    expect(provider.takeAuthorizationUrl().searchParams.get('client_id')).toBe('mcp-inspector-client');
    expect(decodeJwt(provider.tokens()!.access_token)).toMatchObject({ client_id: 'mcp-inspector-client' });
    expect(String(decodeJwt(provider.tokens()!.access_token).scope).split(' ')).toEqual(
      expect.arrayContaining([...ALL_MCP_SCOPES]),
    );
    expect(await calculate(connected)).toContain('14');
  });

  it('keeps working across an authz restart: old tokens still verify and new clients authorize', async () => {
    const before = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:33419/oauth/callback' });
    const first = await connectWithUser(stack.mcpUrl(), before);
    open.push(first);
    expect(await calculate(first)).toContain('14');
    const tokenBefore = before.tokens()!.access_token;

    await stack.restartAuthz();

    // The signing key was persisted in AUTHZ_DATA_DIR, so the JWKS served after the restart still
    // verifies a token issued before it, and the resource server keeps accepting it.
    const base = stack.baseUrl();
    await verifyAccessToken(tokenBefore, {
      jwksUri: `${base}/.well-known/jwks.json`,
      issuer: base,
      audience: stack.mcpUrl(),
    });
    expect(await calculate(first)).toContain('14');

    const after = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:33420/oauth/callback' });
    const second = await connectWithUser(stack.mcpUrl(), after);
    open.push(second);
    expect(await calculate(second)).toContain('14');
    const tokenAfter = after.tokens()!.access_token;
    expect(decodeProtectedHeader(tokenAfter).kid).toBe(decodeProtectedHeader(tokenBefore).kid);
  });

  it('keeps its registration and grant across an authz restart (SQLite store): refresh, no new registration', async () => {
    const exchanges: RecordedExchange[] = [];
    const provider = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:33423/oauth/callback' });
    const first = await connectWithUser(stack.mcpUrl(), provider, recordingFetch(exchanges));
    open.push(first);
    const clientId = provider.clientInformation()!.client_id;

    await stack.restartAuthz();
    provider.useTokens({ ...provider.tokens()!, access_token: 'expired' });
    exchanges.length = 0;

    const second = await connectWithUser(stack.mcpUrl(), provider, recordingFetch(exchanges));
    open.push(second);
    expect(await calculate(second)).toContain('14');
    const refresh = exchanges.find((e) => e.method === 'POST' && e.url.endsWith('/token'));
    expect(refresh?.status).toBe(200);
    expect(exchanges.some((e) => e.url.endsWith('/register'))).toBe(false);
    expect(provider.clientInformation()!.client_id).toBe(clientId);
  });
});

/** AUTHZ_STORE=memory, by explicit choice: a restart forgets registrations, and SDK clients recover. */
describe('the MCP SDK client with an authz that keeps no state across restarts', () => {
  let stack: Stack;
  const open: ConnectedClient[] = [];

  beforeAll(async () => {
    stack = await startStack({ authz: { AUTHZ_STORE: 'memory' } });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((connected) => connected.close().catch(() => undefined)));
  });

  afterAll(() => stack?.stop());

  it('recovers a client whose registration and grant were lost in an authz restart', async () => {
    const exchanges: RecordedExchange[] = [];
    const provider = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:33422/oauth/callback' });
    const first = await connectWithUser(stack.mcpUrl(), provider, recordingFetch(exchanges));
    open.push(first);
    const staleClientId = provider.clientInformation()!.client_id;

    await stack.restartAuthz();
    // The access token has run out; the client still holds its refresh token and registration.
    provider.useTokens({ ...provider.tokens()!, access_token: 'expired' });
    exchanges.length = 0;

    const second = await connectWithUser(stack.mcpUrl(), provider, recordingFetch(exchanges));
    open.push(second);
    expect(await calculate(second)).toContain('14');
    // The refresh was refused as invalid_client (the registration is gone), so the SDK dropped it,
    // registered again and the user approved a new authorization.
    const refresh = exchanges.find((e) => e.method === 'POST' && e.url.endsWith('/token'));
    expect(refresh?.status).toBeGreaterThanOrEqual(400);
    expect(exchanges.some((e) => e.url.endsWith('/register') && e.status === 201)).toBe(true);
    expect(provider.clientInformation()!.client_id).not.toBe(staleClientId);
  });
});
