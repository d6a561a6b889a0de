import { parseForms } from '../support/html-form';
import { pkcePair } from '../support/pkce';
import { inBatches, startAttackStack, type AttackStack } from './support/attack-stack';

const WEB = 'https://app.example.com/callback';
const LOOPBACK_V4 = 'http://127.0.0.1/cb';
const LOOPBACK_V6 = 'http://[::1]/cb';
const LOOPBACK_NAME = 'http://localhost/cb';
const NATIVE = 'com.example.app:/oauth';

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * `refused`: an error page (400), never a redirect anywhere. `loopback`: accepted (RFC 8252 §7.3, any port on
 * a registered loopback redirect), and the code then goes to that loopback host, on the registered path only.
 */
type Outcome = 'refused' | 'loopback';

/** Variants of the registered web redirect: anything but the exact string is refused (OAuth 2.1 §4.1.1). */
const WEB_VARIANTS: string[] = [
  'https://evil.example/callback',
  'https://app.example.com.evil.example/callback',
  'https://app.example.com@evil.example/callback',
  'https://evil.example@app.example.com/callback',
  'https://user:pass@app.example.com/callback',
  'https://app.example.com/callback#fragment',
  'https://app.example.com/callback#@evil.example',
  'https://app.example.com/callback/',
  'https://app.example.com/callback/../evil',
  'https://app.example.com/callback/..%2fevil',
  'https://app.example.com/callback%2f..%2fevil',
  'https://app.example.com/callback/..;/evil',
  'https://app.example.com/%2e%2e/callback',
  'https://app.example.com/./callback',
  'https://app.example.com//callback',
  'https://app.example.com/callback;evil',
  'https://app.example.com/callback?x=1',
  'https://app.example.com/callback?redirect=https://evil.example',
  'https://app.example.com/callback&redirect_uri=https://evil.example',
  'https://app.example.com/Callback',
  'https://APP.example.com/callback',
  'HTTPS://app.example.com/callback',
  'http://app.example.com/callback',
  'https://app.example.com:443/callback',
  'https://app.example.com:8443/callback',
  'https://app.example.com./callback',
  'https://app.example.com\\@evil.example/callback',
  'https://app.example.com\\evil.example/callback',
  'https:\\\\app.example.com/callback',
  'https:/app.example.com/callback',
  'https:app.example.com/callback',
  '//evil.example/callback',
  '//app.example.com/callback',
  '/callback',
  'callback',
  'https://app.example.com/callback%00.evil.example',
  'https://app.example.com/callback\u0000',
  'https://app.example.com%2eevil.example/callback',
  'https://app.example.com%40evil.example/callback',
  'https://app.ex\u0430mple.com/callback',
  'https://\uff41\uff50\uff50.example.com/callback',
  'https://xn--app-example-0xa.com/callback',
  ' https://app.example.com/callback',
  'https://app.example.com/callback ',
  'https://app.example.com/callback\t',
  'https://app.example.com/callback\r\nLocation: https://evil.example',
  'https://app.example.com/callback%20',
  'https://app.example.com/callback%0d%0aLocation:%20https://evil.example',
  'https://evil.example/https://app.example.com/callback',
  'https://evil.example?https://app.example.com/callback',
  'https://evil.example#https://app.example.com/callback',
  'https://[::ffff:127.0.0.1]/callback',
  'https://0x7f.0.0.1/callback',
  'https://2130706433/callback',
  'javascript:alert(document.domain)//https://app.example.com/callback',
  'javascript://app.example.com/callback%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'blob:https://app.example.com/0b4b6f9c',
  'about:blank',
];

/** Variants against registered loopback redirects: the port is free, nothing else (RFC 8252 §7.3, §8.3). */
const LOOPBACK_VARIANTS: [string, Outcome][] = [
  ['http://127.0.0.1/cb', 'loopback'],
  ['http://127.0.0.1:1234/cb', 'loopback'],
  ['http://127.0.0.1:65535/cb', 'loopback'],
  ['http://[::1]:4321/cb', 'loopback'],
  ['http://[0:0:0:0:0:0:0:1]:4321/cb', 'loopback'],
  ['http://localhost:8080/cb', 'loopback'],
  ['http://LOCALHOST:8080/cb', 'loopback'],
  ['http://127.0.0.1:99999/cb', 'refused'],
  ['http://127.0.0.1:1234/cbx', 'refused'],
  ['http://127.0.0.1:1234/cb/', 'refused'],
  ['http://127.0.0.1:1234/CB', 'refused'],
  ['http://127.0.0.1:1234/%63b', 'refused'],
  ['http://127.0.0.1:1234/cb/../evil', 'refused'],
  ['http://127.0.0.1:1234/cb?x=1', 'refused'],
  ['http://127.0.0.1:1234/cb#x', 'refused'],
  ['http://127.0.0.1:1234/cb%23x', 'refused'],
  ['https://127.0.0.1:1234/cb', 'refused'],
  ['http://127.0.0.1.evil.example:1234/cb', 'refused'],
  ['http://evil@127.0.0.1:1234/cb', 'refused'],
  ['http://127.0.0.1:1234@evil.example/cb', 'refused'],
  ['http://127.0.0.1:1234\\@evil.example/cb', 'refused'],
  ['http://127.0.0.2:1234/cb', 'refused'],
  ['http://[::2]:1234/cb', 'refused'],
  ['http://localhost.:8080/cb', 'refused'],
  ['http://localhost.evil.example:8080/cb', 'refused'],
  ['http://evil.example:1234/cb', 'refused'],
  ['http://0.0.0.0:1234/cb', 'refused'],
  ['http://[::]:1234/cb', 'refused'],
];

/** A private-use scheme redirect (RFC 8252 §7.1) matches only exactly. */
const NATIVE_VARIANTS = [
  'com.example.app:/oauth/../x',
  'com.example.app://oauth',
  'com.example.app:/oauth?x=1',
  'com.example.app:/oauth#x',
  'com.example.evil:/oauth',
  'COM.EXAMPLE.APP:/oauth',
];

/** Never registrable (RFC 7591 §2, OAuth 2.1 §2.3.1, RFC 8252 §8.4): refused with invalid_redirect_uri. */
const UNREGISTRABLE = [
  'javascript:alert(1)',
  'data:text/html,hi',
  'file:///tmp/cb',
  'vbscript:msgbox(1)',
  'blob:https://app.example.com/x',
  'about:blank',
  'filesystem:https://app.example.com/temporary/x',
  'https:///cb',
  'https://app.example.com/cb#fragment',
  'https://user:pw@app.example.com/cb',
  'https://app.example.com\\@evil.example/cb',
  'https://app.example.com/c b',
  'https://app.example.com/cb\u0000',
  'https://app.example.com/cb%00',
  'http://app.example.com/cb',
  'http://127.0.0.1.nip.io/cb',
  '/relative/cb',
  '//evil.example/cb',
  '',
  `https://app.example.com/${'a'.repeat(2100)}`,
];

describe('security: redirect URI variants (open redirects, userinfo, fragments, encodings, loopback rules)', () => {
  let stack: AttackStack;
  let clientId: string;

  beforeAll(async () => {
    stack = await startAttackStack({ authz: { AUTHZ_RATE_LIMIT_MAX: '100000' } });
    const registered = await fetch(`${stack.baseUrl()}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Redirect target',
        redirect_uris: [WEB, LOOPBACK_V4, LOOPBACK_V6, LOOPBACK_NAME, NATIVE],
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(registered.status).toBe(201);
    clientId = ((await registered.json()) as { client_id: string }).client_id;
  }, 60_000);
  afterAll(() => stack?.stop());

  const authorize = (redirectUri: string) => {
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      state: 'st',
      resource: stack.mcpUrl(),
    }).toString();
    return fetch(url, { redirect: 'manual' });
  };

  /** The consent page's Approve, as the browser posts it; returns where the code would go. */
  async function approve(html: string): Promise<string | null> {
    const form = parseForms(html).find((candidate) => candidate.fields.interaction_id);
    const body = new URLSearchParams({ ...form!.fields, decision: 'approve' });
    const response = await fetch(`${stack.baseUrl()}/authorize/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    return response.headers.get('location');
  }

  it('serves the registered redirects themselves (the control)', async () => {
    for (const uri of [WEB, NATIVE, LOOPBACK_V4]) expect((await authorize(uri)).status).toBe(200);
  });

  it(`refuses ${WEB_VARIANTS.length} variants of a registered web redirect with an error page, never a redirect`, async () => {
    const outcomes = await inBatches(WEB_VARIANTS, 8, async (variant) => {
      const response = await authorize(variant);
      await response.text();
      return { variant, status: response.status, location: response.headers.get('location') };
    });
    expect(outcomes.filter((outcome) => outcome.status !== 400 || outcome.location !== null)).toEqual([]);
  });

  it(`applies RFC 8252 loopback rules to ${LOOPBACK_VARIANTS.length} variants: any port, nothing else`, async () => {
    const outcomes = await inBatches(LOOPBACK_VARIANTS, 6, async ([variant, expected]) => {
      const response = await authorize(variant);
      const html = await response.text();
      if (response.status !== 200) {
        return {
          variant,
          expected,
          got:
            response.status === 400 && !response.headers.get('location') ? 'refused' : `${response.status}`,
        };
      }
      const location = new URL((await approve(html))!);
      const registeredPath = location.pathname === '/cb' && location.search.startsWith('?code=');
      const onLoopback = ['127.0.0.1', '[::1]', 'localhost'].includes(location.hostname);
      const clean = !location.username && !location.password && location.protocol === 'http:';
      return { variant, expected, got: registeredPath && onLoopback && clean ? 'loopback' : location.href };
    });
    expect(outcomes.filter((outcome) => outcome.got !== outcome.expected)).toEqual([]);
  });

  it(`matches a private-use scheme redirect exactly (${NATIVE_VARIANTS.length} variants refused)`, async () => {
    const statuses = await Promise.all(
      NATIVE_VARIANTS.map(async (variant) => (await authorize(variant)).status),
    );
    expect(statuses).toEqual(NATIVE_VARIANTS.map(() => 400));
  });

  it(`refuses to register ${UNREGISTRABLE.length} malformed or dangerous redirect URIs`, async () => {
    const outcomes = await inBatches(UNREGISTRABLE, 8, async (uri) => {
      const response = await fetch(`${stack.baseUrl()}/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [uri], token_endpoint_auth_method: 'none' }),
      });
      const body = (await response.json()) as { error?: string };
      return { uri: uri.slice(0, 60), status: response.status, error: body.error };
    });
    const accepted = outcomes.filter(
      (outcome) =>
        outcome.status !== 400 ||
        !['invalid_redirect_uri', 'invalid_client_metadata'].includes(outcome.error ?? ''),
    );
    expect(accepted).toEqual([]);
  });

  it('refuses a repeated redirect_uri parameter (RFC 6749 §3.1) without redirecting', async () => {
    const url = new URL(`${stack.baseUrl()}/authorize`);
    url.search = `response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(WEB)}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&code_challenge=${pkcePair().challenge}&code_challenge_method=S256`;
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});
