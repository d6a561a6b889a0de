import {
  authorizeAndApprove,
  authorizeQuery,
  exchangeCode,
  formField,
  pkce,
  useAuthz,
} from './support/authz-harness';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** What real MCP clients send, and what this server must tolerate (each quirk with its own test). */
describe('authz: client quirks', () => {
  const authz = useAuthz();

  async function register(body: Record<string, unknown>) {
    return authz
      .http()
      .post('/register')
      .send({ token_endpoint_auth_method: 'none', ...body })
      .expect(201);
  }

  /** Registers a public client for `redirectUris`, authorizes with `redirectUri`, approves and redeems. */
  async function flow(
    redirectUris: string[],
    redirectUri: string,
    options: { scope?: string; resource?: string; grantTypes?: string[] } = {},
  ) {
    const client = await register({
      redirect_uris: redirectUris,
      ...(options.grantTypes ? { grant_types: options.grantTypes } : {}),
    });
    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, {
      clientId: client.body.client_id,
      redirectUri,
      challenge,
      scope: options.scope,
      resource: options.resource,
    });
    const token = await exchangeCode(authz, {
      code: redirect.searchParams.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: client.body.client_id,
    }).expect(200);
    return { clientId: client.body.client_id as string, redirect, token: token.body };
  }

  describe('scope strings', () => {
    it('split on any whitespace, ignoring leading and trailing space', async () => {
      const { token } = await flow(['http://127.0.0.1/cb'], 'http://127.0.0.1:4000/cb', {
        scope: '  mcp:tools:read\tmcp:tools:execute\n ',
      });
      expect(token.scope).toBe('mcp:tools:read mcp:tools:execute');
    });

    it('drop unknown scopes when a known one remains, and the response says what was granted', async () => {
      const { token } = await flow(['http://127.0.0.1/cb'], 'http://127.0.0.1:4000/cb', {
        scope: 'openid mcp:tools:read profile email',
      });
      expect(token.scope).toBe('mcp:tools:read');
      expect(claimsOf(token.access_token).scope).toBe('mcp:tools:read');
    });
  });

  describe('offline_access (SEP-2207)', () => {
    it('yields a refresh token even for a client that registered only authorization_code', async () => {
      const asked = await flow(['http://127.0.0.1/cb'], 'http://127.0.0.1:4000/cb', {
        scope: 'mcp:tools:read offline_access',
        grantTypes: ['authorization_code'],
      });
      expect(asked.token.scope).toBe('mcp:tools:read offline_access');
      expect(asked.token.refresh_token).toEqual(expect.any(String));
      const refreshed = await authz
        .http()
        .post('/token')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: asked.token.refresh_token,
          client_id: asked.clientId,
        })
        .expect(200);
      expect(refreshed.body.refresh_token).toEqual(expect.any(String));

      const notAsked = await flow(['http://127.0.0.1/cb'], 'http://127.0.0.1:4000/cb', {
        scope: 'mcp:tools:read',
        grantTypes: ['authorization_code'],
      });
      expect(notAsked.token.refresh_token).toBeUndefined();
    });

    it('is described in words on the consent page', async () => {
      const client = await register({ redirect_uris: ['http://127.0.0.1/cb'] });
      const page = await authz
        .http()
        .get('/authorize')
        .query(
          authorizeQuery({
            clientId: client.body.client_id,
            redirectUri: 'http://127.0.0.1/cb',
            challenge: pkce().challenge,
            scope: 'mcp:tools:read offline_access',
          }),
        )
        .expect(200);
      expect(page.text).toContain('refresh tokens');
    });
  });

  describe('redirect URIs', () => {
    const CURSOR = 'cursor://anysphere.cursor-mcp/oauth/callback';

    it('registers https, loopback and private-use schemes together (Cursor) and answers an app scheme with a plain 302', async () => {
      const client = await register({
        redirect_uris: ['https://cursor.com/oauth/callback', 'http://127.0.0.1:8080/callback', CURSOR],
        application_type: 'native',
        client_name: 'Cursor',
      });
      expect(client.body.application_type).toBe('native');
      const page = await authz
        .http()
        .get('/authorize')
        .query(
          authorizeQuery({
            clientId: client.body.client_id,
            redirectUri: CURSOR,
            challenge: pkce().challenge,
          }),
        )
        .expect(200);
      // Browsers apply form-action to the redirect that answers the form, so the app's scheme must be allowed.
      expect(page.headers['content-security-policy']).toContain("form-action 'self' cursor:");
      expect(page.text).toContain('cursor://anysphere.cursor-mcp');
      const decision = await authz
        .http()
        .post('/authorize/decision')
        .type('form')
        .send({ interaction_id: formField(page.text, 'interaction_id'), decision: 'approve' })
        .expect(302);
      const location = new URL(decision.headers.location);
      expect(`${location.protocol}//${location.host}${location.pathname}`).toBe(CURSOR);
      expect(location.searchParams.get('code')).toEqual(expect.any(String));
      expect(location.searchParams.get('iss')).toBe(authz.issuer);
    });

    it.each([
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vbscript:msgbox(1)',
      'https:///cb',
      'https://app.example\\@evil.example/cb',
      'https://app.example/c\u0000b',
      'https://app.example/c%00b',
    ])('refuses to register %j', async (uri) => {
      const response = await authz
        .http()
        .post('/register')
        .send({ redirect_uris: ['https://ok.example/cb', uri] });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_redirect_uri');
    });

    it.each([
      ['Claude', 'https://claude.ai/api/mcp/auth_callback', ['https://claude.ai/api/mcp/auth_callback']],
      ['Claude', 'https://claude.com/api/mcp/auth_callback', ['https://claude.com/api/mcp/auth_callback']],
      [
        'ChatGPT',
        'https://chatgpt.com/connector/oauth/c_8a7f2e',
        ['https://chatgpt.com/connector/oauth/c_8a7f2e'],
      ],
      ['VS Code', 'https://vscode.dev/redirect', ['https://vscode.dev/redirect', 'http://127.0.0.1:33418/']],
      ['VS Code', 'http://127.0.0.1:52817/', ['https://vscode.dev/redirect', 'http://127.0.0.1:33418/']],
    ])('works out of the box with DCR for %s, redirecting to %s', async (_name, used, registered) => {
      const { redirect, token } = await flow(registered, used);
      expect(`${redirect.origin}${redirect.pathname}`).toBe(used);
      expect(redirect.searchParams.get('iss')).toBe(authz.issuer);
      expect(token.access_token).toEqual(expect.any(String));
    });
  });

  describe('resource indicators', () => {
    it('accept an upper-case scheme and host, and issue the canonical aud', async () => {
      const shouted = `HTTP://127.0.0.1:${authz.port}/mcp`;
      const { token, clientId } = await flow(['http://127.0.0.1/cb'], 'http://127.0.0.1/cb', {
        resource: shouted,
      });
      expect(claimsOf(token.access_token).aud).toBe(`${authz.issuer}/mcp`);
      expect(claimsOf(token.access_token).iss).toBe(authz.issuer);
      expect(clientId).toEqual(expect.any(String));
    });

    it('accept the same resource, spelled differently, at the token endpoint', async () => {
      const client = await register({ redirect_uris: ['http://127.0.0.1/cb'] });
      const { verifier, challenge } = pkce();
      const redirect = await authorizeAndApprove(authz, {
        clientId: client.body.client_id,
        redirectUri: 'http://127.0.0.1/cb',
        challenge,
      });
      const token = await exchangeCode(authz, {
        code: redirect.searchParams.get('code')!,
        redirect_uri: 'http://127.0.0.1/cb',
        code_verifier: verifier,
        client_id: client.body.client_id,
        resource: `http://127.0.0.1:${authz.port}/mcp`.replace('http://127.0.0.1', 'HTTP://127.0.0.1'),
      }).expect(200);
      expect(claimsOf(token.body.access_token).aud).toBe(`${authz.issuer}/mcp`);
    });
  });

  describe('issuer binding', () => {
    const onLocalhost = { 'X-Forwarded-Host': 'localhost:3002' };

    it('refuses a code obtained on localhost and redeemed on 127.0.0.1', async () => {
      const client = await register({ redirect_uris: ['http://127.0.0.1/cb'] });
      const { verifier, challenge } = pkce();
      const redirect = await authorizeAndApprove(
        authz,
        { clientId: client.body.client_id, redirectUri: 'http://127.0.0.1/cb', challenge },
        onLocalhost,
      );
      expect(redirect.searchParams.get('iss')).toBe('http://localhost:3002');
      const elsewhere = await exchangeCode(authz, {
        code: redirect.searchParams.get('code')!,
        redirect_uri: 'http://127.0.0.1/cb',
        code_verifier: verifier,
        client_id: client.body.client_id,
      });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('issued by http://localhost:3002'),
      });
    });

    it('keeps iss and aud together when a refresh arrives on another alias', async () => {
      const client = await register({
        redirect_uris: ['http://127.0.0.1/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
      });
      const { verifier, challenge } = pkce();
      const redirect = await authorizeAndApprove(
        authz,
        { clientId: client.body.client_id, redirectUri: 'http://127.0.0.1/cb', challenge },
        onLocalhost,
      );
      const token = await exchangeCode(
        authz,
        {
          code: redirect.searchParams.get('code')!,
          redirect_uri: 'http://127.0.0.1/cb',
          code_verifier: verifier,
          client_id: client.body.client_id,
        },
        onLocalhost,
      ).expect(200);
      const onAlias = { iss: 'http://localhost:3002', aud: 'http://localhost:3002/mcp' };
      expect(claimsOf(token.body.access_token)).toMatchObject(onAlias);
      const refreshed = await authz
        .http()
        .post('/token')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: token.body.refresh_token,
          client_id: client.body.client_id,
        })
        .expect(200);
      expect(claimsOf(refreshed.body.access_token)).toMatchObject(onAlias);
    });
  });

  describe('iss on every authorization response (RFC 9207, SEP-2468)', () => {
    it('is on codes, denials, automatic error redirects and error links', async () => {
      const loopback = await register({ redirect_uris: ['http://127.0.0.1/cb'] });
      const web = await register({ redirect_uris: ['https://app.example/cb'] });
      const code = await authorizeAndApprove(authz, {
        clientId: loopback.body.client_id,
        redirectUri: 'http://127.0.0.1/cb',
        challenge: pkce().challenge,
      });
      expect(code.searchParams.get('iss')).toBe(authz.issuer);

      const page = await authz
        .http()
        .get('/authorize')
        .query(
          authorizeQuery({
            clientId: loopback.body.client_id,
            redirectUri: 'http://127.0.0.1/cb',
            challenge: pkce().challenge,
          }),
        )
        .expect(200);
      const denied = await authz
        .http()
        .post('/authorize/decision')
        .type('form')
        .send({ interaction_id: formField(page.text, 'interaction_id'), decision: 'deny' })
        .expect(303);
      expect(new URL(denied.headers.location).searchParams.get('iss')).toBe(authz.issuer);

      const bad = (clientId: string, redirectUri: string) =>
        authz
          .http()
          .get('/authorize')
          .query({
            ...authorizeQuery({ clientId, redirectUri, challenge: pkce().challenge }),
            scope: 'nonsense',
          });
      const automatic = await bad(loopback.body.client_id, 'http://127.0.0.1/cb').expect(302);
      expect(new URL(automatic.headers.location).searchParams.get('iss')).toBe(authz.issuer);
      const linked = await bad(web.body.client_id, 'https://app.example/cb').expect(400);
      const href = /<a id="return" href="([^"]+)"/.exec(linked.text)![1].replace(/&amp;/g, '&');
      expect(new URL(href).searchParams.get('iss')).toBe(authz.issuer);
    });
  });

  describe('self-asserted names', () => {
    it('heads a registered client with its redirect host and marks its name unverified', async () => {
      const client = await register({
        redirect_uris: ['https://phish.example/cb'],
        client_name: 'Claude Desktop (official)',
      });
      const page = await authz
        .http()
        .get('/authorize')
        .query(
          authorizeQuery({
            clientId: client.body.client_id,
            redirectUri: 'https://phish.example/cb',
            challenge: pkce().challenge,
          }),
        )
        .expect(200);
      expect(page.text).toContain('<h1>An app at <strong class="redirect-host">phish.example</strong>');
      expect(page.text).toContain('Unverified app');
      expect(page.text).not.toMatch(/<h1>[^<]*<strong>Claude Desktop/);
    });
  });
});
