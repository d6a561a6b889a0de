import { pkcePair, randomState } from './support/pkce';
import { startStack, type Stack } from './support/stack';

/**
 * Hardening: development mode hands out passwordless identities (dev tokens, auto-login); they must reach only
 * clients on this machine, as the gateway sees them. Here the gateway trusts a loopback proxy, so a request that
 * arrives with `X-Forwarded-For: 203.0.113.7` stands for a remote client behind that proxy.
 */
describe('development conveniences answer loopback clients only', () => {
  let stack: Stack;
  const remote = { 'X-Forwarded-For': '203.0.113.7' };

  beforeAll(async () => {
    stack = await startStack({ gateway: { GATEWAY_TRUSTED_PROXIES: 'loopback' } });
  });
  afterAll(() => stack?.stop());

  it('issues a dev token to a loopback client', async () => {
    const res = await fetch(`${stack.baseUrl()}/auth/token`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { access_token?: string }).access_token).toEqual(expect.any(String));
  });

  it('refuses a dev token to a remote client with 403 access_denied', async () => {
    const res = await fetch(`${stack.baseUrl()}/auth/token`, { method: 'POST', headers: remote });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'access_denied',
      error_description: 'Development tokens are issued to clients on this machine only.',
    });
  });

  const authorizeUrl = () => {
    const { challenge } = pkcePair();
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'mcp-inspector-client',
      redirect_uri: 'http://localhost:6274/oauth/callback',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: randomState(),
      scope: 'mcp:tools:read',
      resource: stack.mcpUrl(),
    }).toString();
    return url;
  };

  it('signs a loopback client in automatically (the consent page, no login form)', async () => {
    const html = await (await fetch(authorizeUrl())).text();
    expect(html).toMatch(/Approve/);
    expect(html).not.toMatch(/type="password"/);
  });

  it('never signs a remote client in automatically: it gets the login form', async () => {
    const html = await (await fetch(authorizeUrl(), { headers: remote })).text();
    expect(html).toMatch(/type="password"/);
    expect(html).not.toMatch(/name="decision"|>Approve</);
  });
});
