import { RevocationFeed } from '@app/resource-server';
import { GatewayOAuthClient, initializeMcp } from '../support/gateway-oauth';
import { actAsUser, codeFrom } from '../support/oauth-user';
import { pkcePair } from '../support/pkce';
import { startAttackStack, type AttackStack } from './support/attack-stack';

const REDIRECT = 'http://127.0.0.1:41999/callback';
const REMOTE = { 'X-Forwarded-For': '203.0.113.7' };

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * The OAuth attacks of issue 16, kept: a revoked token coming back after a restart (#1), development shortcuts
 * from the network (#2), registration without bounds (#3), parallel refreshes (#7), a code redeemed on another
 * alias and look-alike resources (#8), /revoke as an oracle for other clients' tokens.
 */
describe('security: issue 16 OAuth attacks', () => {
  let stack: AttackStack;
  let oauth: GatewayOAuthClient;

  beforeAll(async () => {
    stack = await startAttackStack({
      authz: { AUTHZ_RATE_LIMIT_MAX: '100000' },
      gateway: { GATEWAY_TRUSTED_PROXIES: 'loopback' },
      mcp: { MCP_STATELESS: 'true' },
    });
    oauth = await GatewayOAuthClient.register(stack.baseUrl(), REDIRECT);
    await until(() => stack.mcpApp().get(RevocationFeed).up);
  }, 60_000);
  afterAll(() => stack?.stop());

  const mcpStatus = async (token: string) => {
    const response = await initializeMcp(stack.mcpUrl(), token);
    await response.arrayBuffer();
    return response.status;
  };

  it('#1 a revoked token stays refused after authz and mcp restart', async () => {
    const tokens = await oauth.tokens();
    expect(await mcpStatus(tokens.access_token)).toBe(200);
    expect((await oauth.revoke(tokens.refresh_token)).status).toBe(200);
    expect(await mcpStatus(tokens.access_token)).toBe(401);
    await stack.restartAuthz();
    await stack.restartMcp();
    await until(() => stack.mcpApp().get(RevocationFeed).up);
    expect(await mcpStatus(tokens.access_token)).toBe(401);
    expect((await oauth.refresh(tokens.refresh_token)).status).toBe(400);
  });

  it('#2 refuses development tokens and auto-login to a client on another machine', async () => {
    const devToken = await fetch(`${stack.baseUrl()}/auth/token`, { method: 'POST', headers: REMOTE });
    expect(devToken.status).toBe(403);
    const { challenge } = pkcePair();
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: oauth.client.clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: stack.mcpUrl(),
    }).toString();
    const page = await (await fetch(url, { headers: REMOTE })).text();
    expect(page).toContain('name="password"');
    expect(page).not.toContain('value="approve"');
  });

  it.each([
    ['a client name over 200 characters', { client_name: 'n'.repeat(201) }],
    ['nine redirect URIs', { redirect_uris: Array.from({ length: 9 }, (_, i) => `https://a.example/${i}`) }],
    ['a redirect URI over 512 characters', { redirect_uris: [`https://a.example/${'p'.repeat(520)}`] }],
    ['six contacts', { contacts: Array.from({ length: 6 }, (_, i) => `c${i}@a.example`) }],
    ['a scope over 1024 characters', { scope: `mcp:tools:read ${'x'.repeat(1024)}` }],
  ])('#3 refuses a registration with %s', async (_label, metadata) => {
    const response = await fetch(`${stack.baseUrl()}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['https://a.example/cb'],
        token_endpoint_auth_method: 'none',
        ...metadata,
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /invalid_(client_metadata|redirect_uri)/,
    );
  });

  it('#7 lets parallel refreshes with one refresh token all succeed on one grant', async () => {
    const tokens = await oauth.tokens();
    const answers = await Promise.all([1, 2, 3].map(() => oauth.refresh(tokens.refresh_token)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const fresh = (await answers[0].json()) as { access_token: string };
    expect(await mcpStatus(fresh.access_token)).toBe(200);
  });

  it('#8 refuses a code redeemed on another alias than it was issued under', async () => {
    const { code, verifier } = await oauth.authorize();
    const elsewhere = await fetch(`${stack.baseUrl('127.0.0.1')}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        client_id: oauth.client.clientId,
      }),
    });
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it.each([
    ['another port', (port: number) => `http://localhost:${port + 1}/mcp`],
    ['another scheme', (port: number) => `https://localhost:${port}/mcp`],
    ['port 1', () => 'http://localhost:1/mcp'],
    ['another path', (port: number) => `http://localhost:${port}/mcp/other`],
    ['another host', () => 'http://evil.example/mcp'],
    ['userinfo', (port: number) => `http://user@localhost:${port}/mcp`],
  ])('#8 refuses a resource on %s', async (_label, resource) => {
    const { challenge } = pkcePair();
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: oauth.client.clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's',
      resource: resource(stack.gatewayPort),
    }).toString();
    const { redirect } = await actAsUser(url);
    expect(redirect.searchParams.get('error')).toBe('invalid_target');
    expect(() => codeFrom(redirect)).toThrow();
  });

  it("answers /revoke with 200 for another client's token and revokes nothing", async () => {
    const victim = await oauth.tokens();
    const attacker = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41998/callback');
    for (const token of [victim.refresh_token, victim.access_token, 'not-a-token']) {
      const response = await attacker.revoke(token);
      expect(response.status).toBe(200);
    }
    expect(await mcpStatus(victim.access_token)).toBe(200);
    expect((await oauth.refresh(victim.refresh_token)).status).toBe(200);
  });
});
