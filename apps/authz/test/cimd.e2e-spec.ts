import {
  authorizeAndApprove,
  authorizeQuery,
  baseEnv,
  exchangeCode,
  pkce,
  removeDir,
  startAuthz,
  tempDataDir,
  useAuthz,
} from './support/authz-harness';
import { startDocumentServer, type DocumentServer } from './support/document-server';

const CLIENT = {
  client_name: 'Example MCP Client',
  redirect_uris: ['http://127.0.0.1:3000/callback', 'https://app.example.com/oauth/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};
const LOOPBACK_REDIRECT = 'http://127.0.0.1:3000/callback';
const WEB_REDIRECT = 'https://app.example.com/oauth/callback';

/** The loopback switch is on: the test serves documents on 127.0.0.1 over plain http. */
const CIMD_TEST_ENV = {
  AUTHZ_CIMD_ALLOW_LOOPBACK: 'true',
  AUTHZ_CIMD_FETCH_TIMEOUT_MS: '400',
  AUTHZ_CIMD_CACHE_MIN_SECONDS: '1',
};

describe('authz: clients identified by a Client ID Metadata Document', () => {
  const authz = useAuthz(CIMD_TEST_ENV);
  let docs: DocumentServer;
  let counter = 0;
  beforeAll(async () => {
    docs = await startDocumentServer();
  });
  afterAll(() => docs.stop());

  /** A fresh document path per test, so the cache of one test never answers another. */
  const nextPath = () => `/clients/${++counter}.json`;

  function authorizePage(
    clientId: string,
    redirectUri = LOOPBACK_REDIRECT,
    extra: Record<string, string> = {},
  ) {
    return authz
      .http()
      .get('/authorize')
      .query({ ...authorizeQuery({ clientId, redirectUri, challenge: pkce().challenge }), ...extra });
  }

  function expectErrorPage(
    response: { status: number; text: string; headers: Record<string, string> },
    pattern: RegExp,
  ) {
    expect(response.status).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.text).toContain('<code id="error">invalid_client</code>');
    expect(response.text.replace(/&quot;/g, '"')).toMatch(pattern);
  }

  it('runs the whole flow for a valid document: consent shows its host, the token names the URL client', async () => {
    const clientId = docs.serveDocument(nextPath(), CLIENT);
    const page = await authorizePage(clientId).expect(200);
    expect(page.text).toContain('<strong>Example MCP Client</strong> wants to access your MCP server');
    expect(page.text).toContain(`Published by <strong class="document-host">127.0.0.1:`);
    expect(page.text).toContain('sent to <strong class="redirect-host">127.0.0.1:3000</strong>');

    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, {
      clientId,
      redirectUri: LOOPBACK_REDIRECT,
      challenge,
    });
    expect(redirect.searchParams.get('iss')).toBe(authz.issuer);
    const token = await exchangeCode(authz, {
      code: redirect.searchParams.get('code')!,
      redirect_uri: LOOPBACK_REDIRECT,
      code_verifier: verifier,
      client_id: clientId,
    }).expect(200);
    const claims = JSON.parse(Buffer.from(token.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.client_id).toBe(clientId);
    expect(token.body.refresh_token).toEqual(expect.any(String));
    const refreshed = await authz
      .http()
      .post('/token')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: clientId })
      .expect(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
  });

  it('refuses a document whose client_id is not its URL', async () => {
    const path = nextPath();
    docs.serve(path, { body: { ...CLIENT, client_id: 'https://someone-else.example/client.json' } });
    expectErrorPage(await authorizePage(docs.url(path)), /client_id does not equal the URL/);
  });

  it('refuses a redirect_uri the document does not list, with an error page and no redirect', async () => {
    const clientId = docs.serveDocument(nextPath(), CLIENT);
    const response = await authorizePage(clientId, 'https://evil.example/callback');
    expect(response.status).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.text).toContain('<code id="error">invalid_request</code>');
  });

  it('refuses an oversized document, reading no more than 5 KiB', async () => {
    const clientId = docs.serveDocument(nextPath(), { ...CLIENT, padding: 'x'.repeat(6000) });
    expectErrorPage(await authorizePage(clientId), /larger than 5120 bytes/);
  });

  it('gives up on a slow document at the deadline', async () => {
    const path = nextPath();
    docs.serve(path, { body: { ...CLIENT, client_id: docs.url(path) }, delayMs: 1500 });
    expectErrorPage(await authorizePage(docs.url(path)), /within 400 ms/);
  });

  it('does not follow a redirecting document URL', async () => {
    const target = docs.serveDocument(nextPath(), CLIENT);
    const path = nextPath();
    docs.serve(path, { handle: (_req, res) => res.writeHead(301, { location: target }).end() });
    expectErrorPage(await authorizePage(docs.url(path)), /redirects are not followed \(HTTP 301\)/);
    expect(docs.fetchesOf(new URL(target).pathname)).toBe(0);
  });

  it('refuses what is not JSON, and an error status', async () => {
    const html = nextPath();
    docs.serve(html, { body: '<html></html>', headers: { 'content-type': 'text/html' } });
    expectErrorPage(await authorizePage(docs.url(html)), /not served as JSON/);
    const missing = nextPath();
    docs.serve(missing, { status: 404, body: {} });
    expectErrorPage(await authorizePage(docs.url(missing)), /HTTP 404/);
  });

  it('fetches a document once while it is fresh, even for concurrent requests', async () => {
    const path = nextPath();
    docs.serve(path, { body: { ...CLIENT, client_id: docs.url(path) }, delayMs: 100 });
    const pages = await Promise.all(Array.from({ length: 5 }, () => authorizePage(docs.url(path))));
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200]);
    await authorizePage(docs.url(path)).expect(200);
    expect(docs.fetchesOf(path)).toBe(1);
  });

  it('never caches a failed fetch', async () => {
    const path = nextPath();
    docs.serve(path, { status: 500, body: {} });
    expectErrorPage(await authorizePage(docs.url(path)), /HTTP 500/);
    docs.serve(path, { body: { ...CLIENT, client_id: docs.url(path) } });
    await authorizePage(docs.url(path)).expect(200);
    expect(docs.fetchesOf(path)).toBe(2);
  });

  it('fetches a changed document after its cache lifetime, while codes keep the document the user consented to', async () => {
    const path = nextPath();
    const clientId = docs.serveDocument(path, CLIENT, { 'cache-control': 'max-age=1' });
    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, {
      clientId,
      redirectUri: LOOPBACK_REDIRECT,
      challenge,
    });

    // The client drops refresh tokens and renames itself; the cache still answers with the old document.
    docs.serveDocument(path, { ...CLIENT, client_name: 'Renamed', grant_types: ['authorization_code'] });
    expect((await authorizePage(clientId).expect(200)).text).toContain('Example MCP Client');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await authorizePage(clientId).expect(200)).text).toContain('<strong>Renamed</strong>');
    expect(docs.fetchesOf(path)).toBe(2);

    const token = await exchangeCode(authz, {
      code: redirect.searchParams.get('code')!,
      redirect_uri: LOOPBACK_REDIRECT,
      code_verifier: verifier,
      client_id: clientId,
    }).expect(200);
    expect(token.body.refresh_token).toEqual(expect.any(String));
  });

  it('remembers a consent per client and redirect host', async () => {
    const clientId = docs.serveDocument(nextPath(), CLIENT);
    await authorizeAndApprove(authz, {
      clientId,
      redirectUri: LOOPBACK_REDIRECT,
      challenge: pkce().challenge,
    });
    expect((await authorizePage(clientId, LOOPBACK_REDIRECT).expect(200)).text).toContain(
      'You approved this client before',
    );
    const web = await authorizePage(clientId, WEB_REDIRECT).expect(200);
    expect(web.text).not.toContain('You approved this client before');
    expect(web.text).toContain('sent to <strong class="redirect-host">app.example.com</strong>');
  });

  it('warns on the consent page when the client only redirects to this computer', async () => {
    const clientId = docs.serveDocument(nextPath(), { ...CLIENT, redirect_uris: [LOOPBACK_REDIRECT] });
    const page = await authorizePage(clientId).expect(200);
    expect(page.text).toContain('id="localhost-warning"');
    const both = docs.serveDocument(nextPath(), CLIENT);
    expect((await authorizePage(both).expect(200)).text).not.toContain('localhost-warning');
  });

  it('refuses document clients that claim a secret or a shared-secret method', async () => {
    const secret = docs.serveDocument(nextPath(), { ...CLIENT, client_secret: 'shh' });
    expectErrorPage(await authorizePage(secret), /must not contain a client_secret/);
    const basic = docs.serveDocument(nextPath(), {
      ...CLIENT,
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expectErrorPage(await authorizePage(basic), /no shared secrets/);
  });

  it('answers invalid_client at /token when the document cannot be used', async () => {
    const path = nextPath();
    docs.serve(path, { status: 410, body: {} });
    const response = await authz
      .http()
      .post('/token')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: 'x', client_id: docs.url(path) })
      .expect(401);
    expect(response.body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringMatching(/HTTP 410/),
    });
  });

  it('refuses a malformed client identifier URL without fetching it', async () => {
    const response = await authorizePage(docs.url('/a/../b.json').replace('/a/../', '/a/%2e%2e/'));
    expectErrorPage(response, /"\." or "\.\."/);
    expect(docs.fetchesOf('/b.json')).toBe(0);
  });
});

describe('authz: metadata documents under the production rules', () => {
  const dataDir = tempDataDir();
  let docs: DocumentServer;
  beforeAll(async () => {
    docs = await startDocumentServer();
  });
  afterAll(async () => {
    await docs.stop();
    removeDir(dataDir);
  });

  it('refuses a document on a private address when the loopback switch is off, without connecting', async () => {
    const authz = await startAuthz(baseEnv(dataDir));
    try {
      // https, as a real client_id would be; 127.0.0.1 and localhost both resolve to loopback.
      for (const host of ['127.0.0.1', 'localhost']) {
        const clientId = docs.url('/private.json', host).replace('http:', 'https:');
        const page = await authz
          .http()
          .get('/authorize')
          .query(authorizeQuery({ clientId, redirectUri: LOOPBACK_REDIRECT, challenge: pkce().challenge }));
        expect(page.status).toBe(400);
        expect(page.text).toMatch(/non-public address \((127\.0\.0\.1|::1)\)/);
      }
      expect(docs.fetchesOf('/private.json')).toBe(0);
    } finally {
      await authz.close();
    }
  });

  it('refuses the loopback switch in production', async () => {
    await expect(
      startAuthz(baseEnv(dataDir, { NODE_ENV: 'production', AUTHZ_CIMD_ALLOW_LOOPBACK: 'true' })),
    ).rejects.toThrow(/AUTHZ_CIMD_ALLOW_LOOPBACK/);
  });

  it('applies the host deny-list and allow-list before fetching', async () => {
    const clientId = docs.serveDocument('/listed.json', CLIENT);
    const policies: Record<string, string>[] = [
      { AUTHZ_CIMD_DENIED_HOSTS: '127.0.0.1' },
      { AUTHZ_CIMD_ALLOWED_HOSTS: '*.example.com' },
    ];
    for (const policy of policies) {
      const authz = await startAuthz(baseEnv(dataDir, { ...CIMD_TEST_ENV, ...policy }));
      try {
        const page = await authz
          .http()
          .get('/authorize')
          .query(authorizeQuery({ clientId, redirectUri: LOOPBACK_REDIRECT, challenge: pkce().challenge }));
        expect(page.status).toBe(400);
        expect(page.text).toMatch(/policy|not among the hosts/);
      } finally {
        await authz.close();
      }
    }
    expect(docs.fetchesOf('/listed.json')).toBe(0);
  });

  it('treats a URL client_id as unknown, and advertises nothing, when documents are switched off', async () => {
    const authz = await startAuthz(baseEnv(dataDir, { ...CIMD_TEST_ENV, AUTHZ_CIMD_ENABLED: 'false' }));
    try {
      const metadata = await authz.http().get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body.client_id_metadata_document_supported).toBe(false);
      expect(metadata.body.token_endpoint_auth_methods_supported).not.toContain('private_key_jwt');
      expect(metadata.body.revocation_endpoint_auth_methods_supported).not.toContain('private_key_jwt');
      expect(metadata.body.introspection_endpoint_auth_methods_supported).not.toContain('private_key_jwt');
      expect(metadata.body.introspection_endpoint_auth_signing_alg_values_supported).toBeUndefined();
      const clientId = docs.serveDocument('/off.json', CLIENT);
      const page = await authz
        .http()
        .get('/authorize')
        .query(authorizeQuery({ clientId, redirectUri: LOOPBACK_REDIRECT, challenge: pkce().challenge }));
      expect(page.status).toBe(400);
      expect(page.text).toContain('Unknown client_id');
      expect(docs.fetchesOf('/off.json')).toBe(0);
    } finally {
      await authz.close();
    }
  });
});
