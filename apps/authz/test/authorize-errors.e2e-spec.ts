import { authorizeQuery, formField, pkce, useAuthz } from './support/authz-harness';

const INSPECTOR = 'mcp-inspector-client';
const REDIRECT = 'http://127.0.0.1:6274/oauth/callback';

describe('authz: /authorize and consent refusals', () => {
  const authz = useAuthz();

  function authorizeRedirect(query: Record<string, string | undefined>) {
    const { challenge } = pkce();
    const full = {
      ...authorizeQuery({ clientId: INSPECTOR, redirectUri: REDIRECT, challenge, state: 'st' }),
      ...query,
    };
    const defined = Object.fromEntries(Object.entries(full).filter(([, value]) => value !== undefined));
    return authz.http().get('/authorize').query(defined);
  }

  function expectRedirectError(response: { status: number; headers: Record<string, string> }, error: string) {
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('st');
    expect(location.searchParams.get('iss')).toBe(authz.issuer);
  }

  describe('/authorize', () => {
    it('redirects invalid_request when code_challenge is missing', async () => {
      expectRedirectError(await authorizeRedirect({ code_challenge: undefined }), 'invalid_request');
    });

    it('redirects invalid_request for the plain PKCE method and for a missing method', async () => {
      expectRedirectError(await authorizeRedirect({ code_challenge_method: 'plain' }), 'invalid_request');
      expectRedirectError(await authorizeRedirect({ code_challenge_method: undefined }), 'invalid_request');
    });

    it('redirects invalid_request for a malformed code_challenge', async () => {
      expectRedirectError(await authorizeRedirect({ code_challenge: 'short' }), 'invalid_request');
    });

    it('redirects unsupported_response_type for response_type=token', async () => {
      expectRedirectError(await authorizeRedirect({ response_type: 'token' }), 'unsupported_response_type');
    });

    it('redirects invalid_target for an unknown resource', async () => {
      expectRedirectError(
        await authorizeRedirect({ resource: 'https://evil.example/mcp' }),
        'invalid_target',
      );
      expectRedirectError(
        await authorizeRedirect({ resource: 'http://localhost:3002/other' }),
        'invalid_target',
      );
    });

    it('accepts the MCP resource only on the scheme, host and port the request came in on', async () => {
      expect((await authorizeRedirect({ resource: `${authz.issuer}/mcp` })).status).toBe(200);
      const onLocalhost = await authorizeRedirect({ resource: 'http://localhost:3002/mcp' }).set(
        'X-Forwarded-Host',
        'localhost:3002',
      );
      expect(onLocalhost.status).toBe(200);
      for (const resource of [
        'http://localhost:3002/mcp',
        'http://localhost:1/mcp',
        'https://localhost:5002/mcp',
        `http://127.0.0.1:${authz.port + 1}/mcp`,
        `https://127.0.0.1:${authz.port}/mcp`,
      ]) {
        expectRedirectError(await authorizeRedirect({ resource }), 'invalid_target');
      }
    });

    it('redirects invalid_target when several resources are requested', async () => {
      const { challenge } = pkce();
      const query = new URLSearchParams(
        authorizeQuery({ clientId: INSPECTOR, redirectUri: REDIRECT, challenge, state: 'st' }),
      );
      query.append('resource', 'http://localhost:3002/mcp');
      query.append('resource', 'http://127.0.0.1:3002/mcp');
      expectRedirectError(await authz.http().get(`/authorize?${query}`), 'invalid_target');
    });

    it('shows an error page for a repeated client_id', async () => {
      const response = await authz.http().get('/authorize?client_id=a&client_id=b&response_type=code');
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
    });

    it('redirects invalid_scope when no requested scope is known', async () => {
      expectRedirectError(await authorizeRedirect({ scope: 'admin openid' }), 'invalid_scope');
    });

    it('shows an error page, never a redirect, for an unregistered redirect_uri', async () => {
      const response = await authorizeRedirect({ redirect_uri: 'https://evil.example/callback' });
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain('<code id="error">invalid_request</code>');
    });

    it('shows an error page for an unknown client_id', async () => {
      const response = await authorizeRedirect({ client_id: 'nobody' });
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.text).toContain('<code id="error">invalid_client</code>');
    });

    /** Registers a public client for `registered` (and `allowed` scopes), then asks /authorize for `scope`. */
    async function invalidScopeFor(registered: string, requested: string, scope = 'admin', allowed?: string) {
      const client = await authz
        .http()
        .post('/register')
        .send({ redirect_uris: [registered], token_endpoint_auth_method: 'none', scope: allowed })
        .expect(201);
      const query = authorizeQuery({
        clientId: client.body.client_id,
        redirectUri: requested,
        challenge: pkce().challenge,
        state: 'st',
      });
      return authz
        .http()
        .get('/authorize')
        .query({ ...query, scope });
    }

    it('lets a registered client step up beyond the scope it registered with (consent is the gate)', async () => {
      const response = await invalidScopeFor(
        'http://127.0.0.1/cb',
        'http://127.0.0.1/cb',
        'mcp:tools:read mcp:tools:execute',
        'mcp:tools:read',
      );
      expect(response.status).toBe(200);
      expect(response.text).toContain('Run tools on your behalf');
    });

    it('redirects errors automatically to a loopback redirect of a registered client', async () => {
      const response = await invalidScopeFor('http://127.0.0.1/cb', 'http://127.0.0.1:4321/cb');
      expect(response.status).toBe(302);
      const location = new URL(response.headers.location);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('iss')).toBe(authz.issuer);
    });

    it('shows a link, not an automatic redirect, for errors of a registered client with a web redirect (RFC 9700 §4.11.2)', async () => {
      const response = await invalidScopeFor('https://phish.example/cb', 'https://phish.example/cb');
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.text).toContain('<code id="error">invalid_scope</code>');
      const href = /<a id="return" href="([^"]+)"/.exec(response.text)![1].replace(/&amp;/g, '&');
      const link = new URL(href);
      expect(link.origin + link.pathname).toBe('https://phish.example/cb');
      expect(link.searchParams.get('error')).toBe('invalid_scope');
      expect(link.searchParams.get('state')).toBe('st');
      expect(link.searchParams.get('iss')).toBe(authz.issuer);
    });

    it('serves the consent page unframeable, with the client name, redirect host and scopes in words', async () => {
      const response = await authorizeRedirect({ scope: 'mcp:tools:execute' });
      expect(response.status).toBe(200);
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.text).toContain('MCP Inspector');
      expect(response.text).toContain('127.0.0.1:6274');
      expect(response.text).toContain('Run tools on your behalf');
      expect(response.text).toContain('name="decision" value="approve"');
      expect(response.text).toContain('name="decision" value="deny"');
    });
  });

  describe('consent decision', () => {
    it('refuses a decision POST without an interaction id (CSRF)', async () => {
      const response = await authz
        .http()
        .post('/authorize/decision')
        .type('form')
        .send({ decision: 'approve' });
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.text).toContain('<code id="error">invalid_request</code>');
    });

    it('refuses a forged interaction id and a second use of a real one', async () => {
      const forged = await authz
        .http()
        .post('/authorize/decision')
        .type('form')
        .send({ interaction_id: 'A'.repeat(43), decision: 'approve' });
      expect(forged.status).toBe(400);
      const page = await authorizeRedirect({});
      const interactionId = formField(page.text, 'interaction_id');
      const post = () =>
        authz
          .http()
          .post('/authorize/decision')
          .type('form')
          .send({ interaction_id: interactionId, decision: 'approve' });
      expect((await post()).status).toBe(303);
      const replay = await post();
      expect(replay.status).toBe(400);
      expect(replay.text).toContain('invalid_request');
    });

    it('refuses a cross-site form post', async () => {
      const page = await authorizeRedirect({});
      const response = await authz
        .http()
        .post('/authorize/decision')
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send({ interaction_id: formField(page.text, 'interaction_id'), decision: 'approve' });
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
    });
  });
});

describe('authz: a configured client keeps its configured scope ceiling', () => {
  const clients = JSON.stringify([
    { client_id: 'read-only-tool', redirect_uris: ['http://127.0.0.1/cb'], scope: 'mcp:tools:read' },
  ]);
  const authz = useAuthz({ AUTHZ_CLIENTS: clients });

  it('redirects invalid_scope for a known scope outside its configuration', async () => {
    const query = authorizeQuery({
      clientId: 'read-only-tool',
      redirectUri: 'http://127.0.0.1/cb',
      challenge: pkce().challenge,
      state: 'st',
    });
    const allowed = await authz
      .http()
      .get('/authorize')
      .query({ ...query, scope: 'mcp:tools:read' });
    expect(allowed.status).toBe(200);
    const wider = await authz
      .http()
      .get('/authorize')
      .query({ ...query, scope: 'mcp:tools:read mcp:tools:execute' });
    expect(wider.status).toBe(302);
    const location = new URL(wider.headers.location);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('st');
  });
});
