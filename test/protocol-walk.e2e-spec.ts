import request from 'supertest';
import { ALL_MCP_SCOPES } from '@app/scopes';
import {
  initializeRequest,
  mcpPost,
  openSession,
  parseBearerChallenge,
  responseTo,
  verifyAccessToken,
} from './support/mcp-http';
import { actAsUser, codeFrom } from './support/oauth-user';
import { pkcePair, randomState } from './support/pkce';
import { LOOPBACK_HOSTS, startStack, type Stack } from './support/stack';
import { startingWith } from './support/matchers';

/**
 * A client that only knows `<gateway>/mcp` walks the whole MCP authorization flow by hand (MCP
 * 2025-11-25 "Authorization"), once as `localhost` and once as `127.0.0.1`: every URL it is handed must
 * stay on the host it used, or discovery, redirects and audience checks break for local clients.
 */
describe.each(LOOPBACK_HOSTS)('protocol walk through the gateway as %s', (host) => {
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack();
    base = stack.baseUrl(host);
  });

  afterAll(() => stack?.stop());

  it('goes from a 401 challenge through discovery, registration, consent and tokens to a tool call, refresh and revocation', async () => {
    // 1. No token: 401 with a challenge pointing at the Protected Resource Metadata (RFC 9728 §5.1).
    const unauthenticated = await mcpPost(base, initializeRequest());
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.text).toContain('Unauthorized');
    const challenge = parseBearerChallenge(unauthenticated.headers['www-authenticate']);
    expect(challenge.resource_metadata).toBe(`${base}/.well-known/oauth-protected-resource/mcp`);

    // 2. PRM, path-suffixed and root forms, both naming this host's resource and issuer.
    const prm = await request(base).get('/.well-known/oauth-protected-resource/mcp').expect(200);
    expect(prm.body).toMatchObject({
      resource: `${base}/mcp`,
      authorization_servers: [base],
      bearer_methods_supported: ['header'],
    });
    expect(prm.body.scopes_supported).toEqual(expect.arrayContaining([...ALL_MCP_SCOPES]));
    const rootPrm = await request(base).get('/.well-known/oauth-protected-resource').expect(200);
    expect(rootPrm.body.resource).toBe(`${base}/mcp`);
    expect(rootPrm.body.authorization_servers).toEqual([base]);

    // 3. AS metadata (RFC 8414): the issuer is exactly the URL discovered with (§3.3).
    const [issuer] = prm.body.authorization_servers as string[];
    const asMetadata = await request(issuer).get('/.well-known/oauth-authorization-server').expect(200);
    const metadata = asMetadata.body as Record<string, string> & Record<string, unknown>;
    expect(metadata.issuer).toBe(issuer);
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'registration_endpoint',
      'revocation_endpoint',
      'jwks_uri',
    ]) {
      expect(metadata[endpoint]).toEqual(startingWith(`${base}/`));
    }
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);

    // 4. Dynamic client registration (RFC 7591), a public native client with a loopback redirect.
    const redirectUri = `http://127.0.0.1:53682/callback`;
    const registration = await request(base)
      .post(new URL(metadata.registration_endpoint).pathname)
      .send({
        client_name: `walk via ${host}`,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      })
      .expect(201);
    const clientId = registration.body.client_id as string;
    expect(clientId).toEqual(expect.any(String));
    expect(registration.body.client_secret).toBeUndefined();

    // 5. /authorize -> consent -> approve -> redirect with code, state and iss (RFC 9207).
    const { verifier, challenge: codeChallenge } = pkcePair();
    const state = randomState();
    const resource = prm.body.resource as string;
    const authorizeUrl = new URL(metadata.authorization_endpoint);
    authorizeUrl.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: ALL_MCP_SCOPES.join(' '),
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      resource,
    }).toString();
    const { redirect, consentPage } = await actAsUser(authorizeUrl);
    expect(consentPage?.url).toEqual(startingWith(`${base}/authorize?`));
    expect(consentPage?.text).toContain(`walk via ${host}`);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
    const code = codeFrom(redirect, { state, issuer });

    // 6. Code for tokens, with the PKCE verifier and the same resource (RFC 7636, RFC 8707).
    const tokenPath = new URL(metadata.token_endpoint).pathname;
    const tokenResponse = await request(base)
      .post(tokenPath)
      .type('form')
      .send({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
        resource,
      })
      .expect(200);
    expect(tokenResponse.headers['cache-control']).toContain('no-store');
    expect(tokenResponse.body).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
    const claims = await verifyAccessToken(tokenResponse.body.access_token, {
      jwksUri: metadata.jwks_uri,
      issuer,
      audience: resource,
    });
    expect(claims.client_id).toBe(clientId);
    expect((claims.scope ?? '').split(' ')).toEqual(expect.arrayContaining([...ALL_MCP_SCOPES]));

    // 7. The token works on /mcp: initialize, then run the calculator.
    const accessToken = tokenResponse.body.access_token as string;
    const sessionId = await openSession(base, accessToken);
    const call = await mcpPost(
      base,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'calculate', arguments: { expression: '2 + 3 * 4' } },
      },
      { token: accessToken, sessionId },
    );
    expect(call.status).toBe(200);
    const called = responseTo(call, 2);
    expect(called.result?.isError ?? false).toBe(false);
    expect(JSON.stringify(called.result?.content)).toContain('14');

    // 8. Refresh rotates the refresh token; the new access token works too.
    const refreshed = await request(base)
      .post(tokenPath)
      .type('form')
      .send({
        grant_type: 'refresh_token',
        refresh_token: tokenResponse.body.refresh_token,
        client_id: clientId,
      })
      .expect(200);
    expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    expect(refreshed.body.refresh_token).not.toBe(tokenResponse.body.refresh_token);
    const refreshedClaims = await verifyAccessToken(refreshed.body.access_token, {
      jwksUri: metadata.jwks_uri,
      issuer,
      audience: resource,
    });
    expect(refreshedClaims.iss).toBe(issuer);
    const refreshedToken = refreshed.body.access_token as string;
    const listed = await mcpPost(
      base,
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { token: refreshedToken, sessionId },
    );
    expect(listed.status).toBe(200);
    expect(responseTo(listed, 3).result?.tools?.map((tool) => tool.name)).toContain('calculate');

    // 9. Revoking the refresh token ends the grant (RFC 7009 §2.1): its access tokens are refused at once.
    await request(base)
      .post(new URL(metadata.revocation_endpoint).pathname)
      .type('form')
      .send({ token: refreshed.body.refresh_token, token_type_hint: 'refresh_token', client_id: clientId })
      .expect(200);
    const afterRevoke = await mcpPost(
      base,
      { jsonrpc: '2.0', id: 4, method: 'tools/list' },
      { token: refreshedToken, sessionId },
    );
    expect(afterRevoke.status).toBe(401);
    const revokedChallenge = parseBearerChallenge(afterRevoke.headers['www-authenticate']);
    expect(revokedChallenge.error).toBe('invalid_token');
    expect(revokedChallenge.resource_metadata).toBe(`${base}/.well-known/oauth-protected-resource/mcp`);
  });
});
