import { randomBytes } from 'node:crypto';
import { startFakeGithub, type FakeGithub } from './support/fake-github';
import { HeadlessBrowser, type Outcome, type PageSeen } from './support/headless-browser';
import { verifyAccessToken } from './support/mcp-http';
import { pkcePair, randomState } from './support/pkce';
import { reservePort } from './support/ports';
import { startStack, type Stack } from './support/stack';
import { startTestIdp, type TestIdp } from './support/test-idp';

const CLIENT_ID = 'mcp-inspector-client';
const CLIENT_REDIRECT = 'http://localhost:6274/oauth/callback';

/**
 * Sign-in through upstream identity providers, end to end through the gateway: a real OpenID Provider
 * (oidc-provider, with its own login and consent forms) and a GitHub look-alike, two people at the provider,
 * access rules admitting one email domain (and one GitHub organisation).
 */
describe('signing in with an identity provider through the gateway', () => {
  let idp: TestIdp;
  let github: FakeGithub;
  let stack: Stack;
  let gateway: string;

  beforeAll(async () => {
    const gatewayPort = await reservePort();
    gateway = `http://localhost:${gatewayPort}`;
    idp = await startTestIdp({
      redirectUris: [`${gateway}/login/callback/corp`, `${gateway}/login/callback/corp-ps`],
      users: [
        {
          login: 'alice',
          email: 'alice@corp.example',
          name: 'Alice Example',
          groups: ['staff', 'mcp-users'],
        },
        { login: 'bob', email: 'bob@partner.example', name: 'Bob Partner', groups: ['contractors'] },
      ],
    });
    github = await startFakeGithub({
      id: 583231,
      login: 'octocat',
      name: 'The Octocat',
      emails: [
        { email: 'octo@old.example', primary: false, verified: true },
        { email: 'octocat@github.example', primary: true, verified: true },
      ],
      orgs: ['acme'],
    });
    const providers = [
      {
        id: 'corp',
        name: 'Corp SSO',
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        scopes: ['openid', 'email', 'profile', 'groups'],
      },
      // The same provider, expecting another ID token algorithm than the RS256 it signs with.
      {
        id: 'corp-ps',
        name: 'Corp SSO (PS256)',
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        idTokenAlg: 'PS256',
      },
      {
        id: 'gh',
        type: 'github',
        issuer: github.url,
        apiUrl: github.apiUrl,
        clientId: github.clientId,
        clientSecret: github.clientSecret,
        scopes: ['read:user', 'user:email', 'read:org'],
      },
    ];
    stack = await startStack({
      gatewayPort,
      authz: {
        AUTHZ_OIDC_PROVIDERS: JSON.stringify(providers),
        AUTHZ_ACCESS_RULES: JSON.stringify({ domains: ['corp.example'], groups: ['acme'] }),
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await idp?.stop();
    await github?.stop();
  });

  const browser = () => new HeadlessBrowser({ gateway, providers: [idp.issuer, github.url] });

  function authorization() {
    const pkce = pkcePair();
    const state = randomState();
    const url = new URL(`${gateway}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      scope: 'mcp:tools:read mcp:tools:execute',
      resource: stack.mcpUrl(),
      state,
    }).toString();
    return { url, state, verifier: pkce.verifier };
  }

  async function redeem(code: string, verifier: string) {
    const response = await fetch(`${gateway}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        code,
        code_verifier: verifier,
        redirect_uri: CLIENT_REDIRECT,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  const claimsOf = (token: string) =>
    verifyAccessToken(token, {
      jwksUri: `${gateway}/.well-known/jwks.json`,
      issuer: gateway,
      audience: stack.mcpUrl(),
    });

  /** The interaction id on the gateway's sign-in page (the first page of a run). */
  const interactionOf = (outcome: Outcome) => {
    const first = outcome.pages.find((page) => page.url.origin === gateway)!;
    return /name="interaction_id" value="([^"]+)"/.exec(first.html)![1];
  };

  /** Nothing was signed in on the interaction: approving it is refused, and no code comes out. */
  async function expectNotSignedIn(interactionId: string) {
    const response = await fetch(`${gateway}/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ interaction_id: interactionId, decision: 'approve' }),
      redirect: 'manual',
    });
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Sign in before approving.');
  }

  function expectErrorPage(outcome: Outcome, status: number, error: string, description: RegExp): PageSeen {
    if (outcome.kind !== 'page')
      throw new Error(`expected an error page, got ${outcome.kind} ${outcome.url}`);
    expect(outcome.page.url.origin).toBe(gateway);
    expect(outcome.page.status).toBe(status);
    expect(outcome.page.text).toContain(`Error: ${error}`);
    expect(outcome.page.text).toMatch(description);
    expect(outcome.page.html).not.toMatch(/code=/);
    return outcome.page;
  }

  const isCallback = (url: URL) => url.pathname.startsWith('/login/callback/');

  it("signs in at the provider, consents, and gets this server's tokens for the provider identity", async () => {
    const { url, state, verifier } = authorization();
    const user = browser();
    const outcome = await user.run(url, { provider: 'corp', login: { login: 'alice' } });
    if (outcome.kind !== 'redirect') throw new Error(`ended on ${outcome.kind}: ${JSON.stringify(outcome)}`);

    // The sign-in page offered both providers and no local form; the provider showed its own login page.
    const [signIn] = outcome.pages;
    expect(signIn.text).toContain('Continue with Corp SSO');
    expect(signIn.text).toContain('Continue with GitHub');
    expect(signIn.html).not.toContain('name="password"');
    // The buttons post here, which answers with a redirect to the provider: CSP form-action must allow it.
    expect(signIn.headers.get('content-security-policy')).toContain(
      `form-action 'self' ${idp.issuer} ${github.url}`,
    );
    expect(
      outcome.pages.some((page) => page.url.origin === idp.issuer && page.html.includes('name="login"')),
    ).toBe(true);
    const consent = outcome.pages.at(-1)!;
    expect(consent.text).toContain('Signed in as Alice Example (alice@corp.example) via Corp SSO');
    expect(consent.html).toContain(`action="${gateway}/logout"`);
    // The binding cookie is HttpOnly and was set on the gateway's host only.
    expect(user.cookie(new URL(gateway).host, 'mcp-login')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(outcome.url.origin + outcome.url.pathname).toBe(CLIENT_REDIRECT);
    expect(outcome.url.searchParams.get('state')).toBe(state);
    expect(outcome.url.searchParams.get('iss')).toBe(gateway);
    const tokens = await redeem(outcome.url.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    const claims = await claimsOf(tokens.body.access_token);
    expect(claims).toMatchObject({
      sub: 'corp|alice',
      idp: 'corp',
      email: 'alice@corp.example',
      email_verified: true,
      name: 'Alice Example',
      groups: ['staff', 'mcp-users'],
      client_id: CLIENT_ID,
    });
    // This server's token, never the provider's: signed by the gateway for the MCP audience only.
    expect(tokens.body.access_token).not.toContain(idp.issuer);
  });

  it('refuses a user outside the allowed email domain on a clear page, with no code', async () => {
    const { url } = authorization();
    const outcome = await browser().run(url, { provider: 'corp', login: { login: 'bob' } });
    expectErrorPage(outcome, 403, 'access_denied', /bob@partner\.example \(Corp SSO\) is not allowed/);
    await expectNotSignedIn(interactionOf(outcome));
  });

  it('signs in with GitHub: numeric id as subject, verified primary email, organisations as groups', async () => {
    const { url, verifier } = authorization();
    const outcome = await browser().run(url, { provider: 'gh' });
    if (outcome.kind !== 'redirect') throw new Error(`ended on ${outcome.kind}`);
    expect(outcome.pages.at(-1)!.text).toContain('The Octocat (octocat@github.example) via GitHub');
    const tokens = await redeem(outcome.url.searchParams.get('code')!, verifier);
    expect(await claimsOf(tokens.body.access_token)).toMatchObject({
      sub: 'gh|583231',
      idp: 'gh',
      email: 'octocat@github.example',
      email_verified: true,
      groups: ['acme'],
    });
    expect(github.requests).toEqual(
      expect.arrayContaining(['POST /login/oauth/access_token', 'GET /api/v3/user', 'GET /api/v3/user/orgs']),
    );
  });

  it('refuses a tampered state, and the genuine callback still completes afterwards', async () => {
    const user = browser();
    const { url } = authorization();
    const stopped = await user.run(url, { provider: 'corp', login: { login: 'alice' }, stopAt: isCallback });
    if (stopped.kind !== 'stopped') throw new Error('did not reach the callback');
    const tampered = new URL(stopped.url);
    tampered.searchParams.set('state', randomBytes(32).toString('base64url'));
    const page = await user.open(tampered);
    expect(page.status).toBe(400);
    expect(page.text).toContain('This sign-in is unknown or has expired.');
    const genuine = await user.open(stopped.url);
    expect(genuine.status).toBe(200);
    expect(genuine.text).toContain('Signed in as Alice Example');
  });

  it('refuses a replayed callback', async () => {
    const user = browser();
    const stopped = await user.run(authorization().url, {
      provider: 'corp',
      login: { login: 'alice' },
      stopAt: isCallback,
    });
    if (stopped.kind !== 'stopped') throw new Error('did not reach the callback');
    expect((await user.open(stopped.url)).status).toBe(200);
    const replay = await user.open(stopped.url);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('This sign-in was already completed.');
  });

  it('refuses a callback carried to another browser', async () => {
    const stopped = await browser().run(authorization().url, {
      provider: 'corp',
      login: { login: 'alice' },
      stopAt: isCallback,
    });
    if (stopped.kind !== 'stopped') throw new Error('did not reach the callback');
    const elsewhere = await browser().open(stopped.url);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('started in another browser');
    await expectNotSignedIn(interactionOf(stopped));
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const outcome = await browser().run(authorization().url, {
      provider: 'corp',
      login: { login: 'alice' },
      rewrite: (url) => {
        if (url.origin !== idp.issuer || !url.searchParams.has('nonce')) return url;
        const forged = new URL(url);
        forged.searchParams.set('nonce', 'a-nonce-the-gateway-never-sent');
        return forged;
      },
    });
    expectErrorPage(outcome, 403, 'access_denied', /answer from Corp SSO could not be verified/);
    await expectNotSignedIn(interactionOf(outcome));
  });

  it('refuses an ID token signed with an algorithm the provider is not configured for', async () => {
    const outcome = await browser().run(authorization().url, {
      provider: 'corp-ps',
      login: { login: 'alice' },
    });
    expectErrorPage(outcome, 403, 'access_denied', /answer from Corp SSO \(PS256\) could not be verified/);
    await expectNotSignedIn(interactionOf(outcome));
  });

  it.each([
    ['signed by a key the provider never published', 'unknown-key'],
    ['expired', 'expired'],
  ] as const)('refuses an ID token %s', async (_label, mode) => {
    const user = browser();
    const stopped = await user.run(authorization().url, {
      provider: 'corp',
      login: { login: 'alice' },
      stopAt: isCallback,
    });
    if (stopped.kind !== 'stopped') throw new Error('did not reach the callback');
    idp.tamperNextIdToken(mode);
    const outcome = await user.run(stopped.url, {});
    expectErrorPage(outcome, 403, 'access_denied', /answer from Corp SSO could not be verified/);
    await expectNotSignedIn(interactionOf(stopped));
  });

  it('ends on a clear page when the provider is down at the callback', async () => {
    const user = browser();
    const stopped = await user.run(authorization().url, {
      provider: 'corp',
      login: { login: 'alice' },
      stopAt: isCallback,
    });
    if (stopped.kind !== 'stopped') throw new Error('did not reach the callback');
    idp.setDown(true);
    try {
      const outcome = await user.run(stopped.url, {});
      expectErrorPage(outcome, 503, 'temporarily_unavailable', /Corp SSO cannot be reached right now/);
    } finally {
      idp.setDown(false);
    }
    await expectNotSignedIn(interactionOf(stopped));
  });

  it('signs out from the consent page: that sign-in can approve nothing any more', async () => {
    const user = browser();
    const outcome = await user.run(authorization().url, {
      provider: 'corp',
      login: { login: 'alice' },
      decision: 'none' as 'approve',
    });
    if (outcome.kind !== 'page') throw new Error('expected to stop on the consent page');
    const interactionId = /name="interaction_id" value="([^"]+)"/.exec(outcome.page.html)![1];
    const signOut = await fetch(`${gateway}/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ interaction_id: interactionId }),
    });
    expect(signOut.status).toBe(200);
    expect(await signOut.text()).toContain('Signed out');
    expect(signOut.headers.getSetCookie().join()).toContain('mcp-login=; Max-Age=0');
    const approve = await fetch(`${gateway}/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ interaction_id: interactionId, decision: 'approve' }),
      redirect: 'manual',
    });
    expect(approve.status).toBe(400);
    expect(approve.headers.get('location')).toBeNull();
  });
});
