import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { authorizeAndApprove, exchangeCode, pkce, useAuthz } from './support/authz-harness';

describe('authz: authorization code flow', () => {
  const authz = useAuthz();

  async function verifyWithJwks(token: string, headers: Record<string, string> = {}) {
    const jwks = (await authz.http().get('/.well-known/jwks.json').set(headers).expect(200))
      .body as JSONWebKeySet;
    const { kid } = decodeProtectedHeader(token);
    expect(jwks.keys.map((key) => key.kid)).toContain(kid);
    return jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['RS256'], typ: 'at+jwt' });
  }

  it('runs register -> authorize -> approve -> token -> refresh (rotated) -> revoke for a registered client', async () => {
    const redirectUri = 'http://127.0.0.1:41999/callback';
    const registration = await authz
      .http()
      .post('/register')
      .send({
        client_name: 'E2E client',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
      })
      .expect(201);
    expect(registration.body).toMatchObject({
      client_name: 'E2E client',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(registration.body.client_secret).toBeUndefined();
    const clientId: string = registration.body.client_id;

    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, {
      clientId,
      redirectUri: 'http://127.0.0.1:50123/callback',
      challenge,
      scope: 'mcp:tools:read mcp:tools:execute',
      state: 'abc',
    });
    expect(redirect.origin + redirect.pathname).toBe('http://127.0.0.1:50123/callback');
    expect(redirect.searchParams.get('state')).toBe('abc');
    expect(redirect.searchParams.get('iss')).toBe(authz.issuer);
    const code = redirect.searchParams.get('code')!;
    expect(code.length).toBeGreaterThanOrEqual(43);

    const token = await exchangeCode(authz, {
      code,
      redirect_uri: 'http://127.0.0.1:50123/callback',
      code_verifier: verifier,
      client_id: clientId,
    }).expect(200);
    expect(token.headers['cache-control']).toBe('no-store');
    expect(token.headers.pragma).toBe('no-cache');
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'mcp:tools:read mcp:tools:execute',
      algorithm: 'RS256',
    });
    const { payload, protectedHeader } = await verifyWithJwks(token.body.access_token);
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: token.body.key_id });
    expect(payload).toMatchObject({
      iss: authz.issuer,
      aud: `${authz.issuer}/mcp`,
      sub: 'developer',
      client_id: clientId,
      scope: 'mcp:tools:read mcp:tools:execute',
      grant_id: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(typeof payload.jti).toBe('string');

    const refreshed = await authz
      .http()
      .post('/token')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: clientId })
      .expect(200);
    expect(refreshed.body.refresh_token).toBeDefined();
    expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);
    expect(refreshed.body.scope).toBe('mcp:tools:read mcp:tools:execute');
    const second = await verifyWithJwks(refreshed.body.access_token);
    expect(second.payload.aud).toBe(`${authz.issuer}/mcp`);

    await authz
      .http()
      .post('/revoke')
      .type('form')
      .send({ token: refreshed.body.refresh_token, token_type_hint: 'refresh_token', client_id: clientId })
      .expect(200);
    // Both access tokens name the one grant the refresh token revoked (RFC 7009 §2.1).
    expect(second.payload.grant_id).toBe(payload.grant_id);
    const status = await authz.http().get(`/internal/grants/${payload.grant_id}`).expect(200);
    expect(status.body).toEqual({ grant_id: payload.grant_id, status: 'revoked' });
    const afterRevoke = await authz
      .http()
      .post('/token')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: clientId })
      .expect(400);
    expect(afterRevoke.body.error).toBe('invalid_grant');
  });

  it('runs the flow for the pre-registered mcp-inspector-client, with issuer and aud on the localhost alias', async () => {
    const alias = { 'X-Forwarded-Host': 'localhost:3002', 'X-Forwarded-Proto': 'http' };
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://localhost:6274/oauth/callback';
    const redirect = await authorizeAndApprove(
      authz,
      { clientId: 'mcp-inspector-client', redirectUri, challenge, resource: 'http://localhost:3002/mcp' },
      alias,
    );
    expect(redirect.searchParams.get('iss')).toBe('http://localhost:3002');
    const token = await exchangeCode(
      authz,
      {
        code: redirect.searchParams.get('code')!,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: 'mcp-inspector-client',
        resource: 'http://localhost:3002/mcp',
      },
      alias,
    ).expect(200);
    expect(token.body.scope.split(' ').sort()).toEqual([...ALL_MCP_SCOPES].sort());
    const { payload } = await verifyWithJwks(token.body.access_token, alias);
    expect(payload.iss).toBe('http://localhost:3002');
    expect(payload.aud).toBe('http://localhost:3002/mcp');
    expect(payload.client_id).toBe('mcp-inspector-client');

    const refreshed = await authz
      .http()
      .post('/token')
      .set(alias)
      .send({
        grant_type: 'refresh_token',
        refresh_token: token.body.refresh_token,
        client_id: 'mcp-inspector-client',
      })
      .expect(200);
    expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);

    const grantStatus = async () =>
      (await authz.http().get(`/internal/grants/${payload.grant_id}`).expect(200)).body.status;
    expect(await grantStatus()).toBe('active');
    await authz
      .http()
      .post('/revoke')
      .type('form')
      .send({ token: refreshed.body.access_token, client_id: 'mcp-inspector-client' })
      .expect(200);
    // An access token revokes its whole grant (RFC 7009 §2.1 allows taking the refresh token along): resource
    // servers know grants, not individual tokens, and a client revoking one token wants the session over.
    expect(await grantStatus()).toBe('revoked');
    const again = await authz
      .http()
      .post('/token')
      .set(alias)
      .send({
        grant_type: 'refresh_token',
        refresh_token: refreshed.body.refresh_token,
        client_id: 'mcp-inspector-client',
      })
      .expect(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('authenticates a confidential client with client_secret_basic and client_secret_post', async () => {
    const redirectUri = 'https://app.example/cb';
    for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
      const registration = await authz
        .http()
        .post('/register')
        .send({
          redirect_uris: [redirectUri],
          token_endpoint_auth_method: method,
          grant_types: ['authorization_code'],
        })
        .expect(201);
      const { client_id: clientId, client_secret: secret } = registration.body;
      expect(secret).toEqual(expect.any(String));
      const { verifier, challenge } = pkce();
      const redirect = await authorizeAndApprove(authz, { clientId, redirectUri, challenge });
      const form = {
        code: redirect.searchParams.get('code')!,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      };
      const token =
        method === 'client_secret_basic'
          ? await exchangeCode(authz, form).auth(clientId, secret)
          : await exchangeCode(authz, { ...form, client_id: clientId, client_secret: secret });
      expect(token.status).toBe(200);
      // No refresh_token grant registered, so no refresh token.
      expect(token.body.refresh_token).toBeUndefined();

      const introspection =
        method === 'client_secret_basic'
          ? await authz
              .http()
              .post('/introspect')
              .auth(clientId, secret)
              .type('form')
              .send({ token: token.body.access_token })
          : await authz
              .http()
              .post('/introspect')
              .type('form')
              .send({ token: 'garbage', client_id: clientId, client_secret: secret });
      expect(introspection.status).toBe(200);
      if (method === 'client_secret_basic') {
        expect(introspection.body).toMatchObject({ active: true, client_id: clientId, token_type: 'Bearer' });
      } else {
        expect(introspection.body).toEqual({ active: false });
      }
    }
  });

  it('accepts a JSON token request as well as a form-encoded one', async () => {
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://127.0.0.1:6274/oauth/callback';
    const redirect = await authorizeAndApprove(authz, {
      clientId: 'mcp-inspector-client',
      redirectUri,
      challenge,
    });
    const token = await authz
      .http()
      .post('/token')
      .send({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code'),
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: 'mcp-inspector-client',
      })
      .expect(200);
    expect(token.body.access_token).toEqual(expect.any(String));
  });

  it('redirects with access_denied, state and iss when the user denies', async () => {
    const { challenge } = pkce();
    const page = await authz
      .http()
      .get('/authorize')
      .query({
        response_type: 'code',
        client_id: 'mcp-inspector-client',
        redirect_uri: 'http://127.0.0.1:6274/oauth/callback',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 's1',
      })
      .expect(200);
    const id = /name="interaction_id" value="([^"]+)"/.exec(page.text)![1];
    const denied = await authz
      .http()
      .post('/authorize/decision')
      .type('form')
      .send({ interaction_id: id, decision: 'deny' })
      .expect(303);
    const location = new URL(denied.headers.location);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('iss')).toBe(authz.issuer);
    expect(location.searchParams.get('code')).toBeNull();
  });
});
