import { randomBytes } from 'node:crypto';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { HeadlessBrowser } from './support/headless-browser';
import { verifyAccessToken } from './support/mcp-http';
import { pkcePair } from './support/pkce';
import { reservePort } from './support/ports';
import { HeadlessOAuthProvider, newClient, type ConnectedClient } from './support/sdk-oauth';
import { startStack, type Stack } from './support/stack';
import { startTestIdp, type TestIdp } from './support/test-idp';

/**
 * The official MCP SDK client, given only `<gateway>/mcp`, with an OpenID Provider in the loop: the gateway's
 * only sign-in is that provider, so /authorize goes straight there. Provider refresh tokens are kept, so the
 * provider's word on the session counts at every refresh.
 */
describe('the MCP SDK client with an identity provider in the loop', () => {
  let idp: TestIdp;
  let stack: Stack;
  let gateway: string;
  const open: ConnectedClient[] = [];

  beforeAll(async () => {
    const gatewayPort = await reservePort();
    gateway = `http://localhost:${gatewayPort}`;
    idp = await startTestIdp({
      redirectUris: [`${gateway}/login/callback/corp`],
      users: [{ login: 'carol', email: 'carol@corp.example', name: 'Carol Corp', groups: ['mcp-users'] }],
    });
    stack = await startStack({
      gatewayPort,
      authz: {
        AUTHZ_OIDC_PROVIDERS: JSON.stringify([
          {
            id: 'corp',
            name: 'Corp SSO',
            issuer: idp.issuer,
            clientId: idp.clientId,
            clientSecret: idp.clientSecret,
            scopes: 'openid email profile groups offline_access',
          },
        ]),
        AUTHZ_ACCESS_RULES: JSON.stringify({ groups: ['mcp-users'] }),
        AUTHZ_OIDC_KEEP_REFRESH_TOKENS: 'true',
        AUTHZ_OIDC_TOKEN_KEY: randomBytes(32).toString('base64'),
      },
    });
  });

  afterAll(async () => {
    await Promise.all(open.splice(0).map((connected) => connected.close().catch(() => undefined)));
    await stack?.stop();
    await idp?.stop();
  });

  async function refresh(refreshToken: string, clientId: string) {
    const response = await fetch(`${gateway}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it('signs in at the provider, calls tools, and loses the grant when the provider ends the session', async () => {
    const oauth = new HeadlessOAuthProvider({ redirectUrl: 'http://127.0.0.1:33431/oauth/callback' });
    const first = newClient(stack.mcpUrl(), oauth);
    await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);

    // The SDK's authorization URL leads straight to the provider's login page (one provider, no local users).
    const authorizationUrl = oauth.takeAuthorizationUrl();
    const firstHop = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(firstHop.status).toBe(303);
    expect(firstHop.headers.get('location')).toMatch(new RegExp(`^${idp.issuer}/auth\\?`));

    const user = new HeadlessBrowser({ gateway, providers: [idp.issuer] });
    const outcome = await user.run(authorizationUrl, { login: { login: 'carol' } });
    if (outcome.kind !== 'redirect') throw new Error(`ended on ${outcome.kind}`);
    expect(outcome.pages.at(-1)!.text).toContain('Signed in as Carol Corp (carol@corp.example) via Corp SSO');
    await first.transport.finishAuth(outcome.url.searchParams.get('code')!);

    const connected = newClient(stack.mcpUrl(), oauth);
    open.push(connected);
    await connected.client.connect(connected.transport);
    const result = await connected.client.callTool({ name: 'calculate', arguments: { expression: '6 * 7' } });
    expect(JSON.stringify(result.content)).toContain('42');

    const tokens = oauth.tokens()!;
    expect(
      await verifyAccessToken(tokens.access_token, {
        jwksUri: `${gateway}/.well-known/jwks.json`,
        issuer: gateway,
        audience: stack.mcpUrl(),
      }),
    ).toMatchObject({ sub: 'corp|carol', idp: 'corp', email: 'carol@corp.example', groups: ['mcp-users'] });

    // Each refresh here refreshes at the provider too.
    const clientId = oauth.clientInformation()!.client_id;
    const before = idp.tokenRequests.filter((grant) => grant === 'refresh_token').length;
    const renewed = await refresh(tokens.refresh_token!, clientId);
    expect(renewed.status).toBe(200);
    expect(idp.tokenRequests.filter((grant) => grant === 'refresh_token')).toHaveLength(before + 1);

    // The provider ends the session: the next refresh fails and the grant's tokens stop working.
    await idp.revoke(idp.lastRefreshToken!);
    const refused = await refresh(renewed.body.refresh_token, clientId);
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(refused.body.error_description).toContain('Corp SSO no longer accepts this sign-in');
    const call = await fetch(stack.mcpUrl(), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${renewed.body.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(call.status).toBe(401);
  });
});

describe('an identity provider that is down when sign-in starts', () => {
  let stack: Stack;

  beforeAll(async () => {
    const deadPort = await reservePort();
    stack = await startStack({
      authz: {
        AUTHZ_OIDC_PROVIDERS: JSON.stringify([
          { id: 'corp', name: 'Corp SSO', issuer: `http://127.0.0.1:${deadPort}`, clientId: 'gw' },
        ]),
      },
    });
  });

  afterAll(() => stack?.stop());

  it('shows a clear temporarily_unavailable page and redirects nowhere', async () => {
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'mcp-inspector-client',
      redirect_uri: 'http://localhost:6274/oauth/callback',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      state: 's',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(503);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(html).toContain('temporarily_unavailable');
    expect(html).toContain('Corp SSO cannot be reached right now; try again later.');
  });
});
