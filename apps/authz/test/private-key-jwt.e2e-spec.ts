import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { authorizeAndApprove, exchangeCode, pkce, useAuthz } from './support/authz-harness';
import { startDocumentServer, type DocumentServer } from './support/document-server';

const REDIRECT = 'https://chatgpt.com/connector/oauth/abc123';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** ChatGPT-style confidential clients: the metadata document declares private_key_jwt (RFC 7523). */
describe('authz: private_key_jwt for metadata-document clients', () => {
  const authz = useAuthz({ AUTHZ_CIMD_ALLOW_LOOPBACK: 'true', AUTHZ_CIMD_CACHE_MIN_SECONDS: '1' });
  let docs: DocumentServer;
  let key: KeyPair;
  let otherKey: KeyPair;
  let counter = 0;
  beforeAll(async () => {
    docs = await startDocumentServer();
    key = await keyPair('k1');
    otherKey = await keyPair('k2');
    docs.serve('/jwks.json', { body: { keys: [key.jwk] } });
  });
  afterAll(() => docs.stop());

  function confidentialClient(keys: Record<string, unknown>, headers: Record<string, string> = {}): string {
    return docs.serveDocument(
      `/chatgpt/${++counter}.json`,
      {
        client_name: 'ChatGPT',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'private_key_jwt',
        ...keys,
      },
      headers,
    );
  }

  function assertion(
    clientId: string,
    options: { signer?: KeyPair; aud?: string; exp?: number; jti?: string } = {},
  ) {
    const signer = options.signer ?? key;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: signer.jwk.kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(options.aud ?? `${authz.issuer}/token`)
      .setIssuedAt(now)
      .setExpirationTime(options.exp ?? now + 60)
      .setJti(options.jti ?? randomUUID())
      .sign(signer.privateKey);
  }

  async function codeFor(clientId: string) {
    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, { clientId, redirectUri: REDIRECT, challenge });
    return { code: redirect.searchParams.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT };
  }

  const redeem = (clientId: string, form: Record<string, string>, clientAssertion: string) =>
    exchangeCode(authz, {
      ...form,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: clientAssertion,
    });

  function expectInvalidClient(response: { status: number; body: Record<string, string> }, pattern: RegExp) {
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect(response.body.error_description).toMatch(pattern);
  }

  it('issues tokens for an assertion signed with a key from jwks_uri, without a client_id parameter', async () => {
    const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
    const response = await redeem(clientId, await codeFor(clientId), await assertion(clientId)).expect(200);
    expect(response.body.refresh_token).toEqual(expect.any(String));
    const refreshed = await authz
      .http()
      .post('/token')
      .type('form')
      .send({
        grant_type: 'refresh_token',
        refresh_token: response.body.refresh_token,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(clientId, { aud: authz.issuer }),
      })
      .expect(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
  });

  it('verifies with keys inline in the document too', async () => {
    const clientId = confidentialClient({ jwks: { keys: [key.jwk] } });
    await redeem(clientId, await codeFor(clientId), await assertion(clientId)).expect(200);
  });

  it('refuses an assertion signed with another key', async () => {
    const clientId = confidentialClient({ jwks: { keys: [key.jwk] } });
    const wrong = await assertion(clientId, { signer: { ...otherKey, jwk: { ...otherKey.jwk, kid: 'k1' } } });
    expectInvalidClient(await redeem(clientId, await codeFor(clientId), wrong), /signature does not verify/);
  });

  it('refuses a replayed assertion (same jti)', async () => {
    const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
    const once = await assertion(clientId);
    await redeem(clientId, await codeFor(clientId), once).expect(200);
    expectInvalidClient(await redeem(clientId, await codeFor(clientId), once), /jti was already used/);
  });

  it('refuses an expired assertion and one that lives too long', async () => {
    const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
    const now = Math.floor(Date.now() / 1000);
    expectInvalidClient(
      await redeem(clientId, await codeFor(clientId), await assertion(clientId, { exp: now - 120 })),
      /expired/,
    );
    expectInvalidClient(
      await redeem(clientId, await codeFor(clientId), await assertion(clientId, { exp: now + 3600 })),
      /more than 600 seconds ahead/,
    );
  });

  it('refuses an assertion for another audience', async () => {
    const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
    const foreign = await assertion(clientId, { aud: 'https://other-as.example/token' });
    expectInvalidClient(await redeem(clientId, await codeFor(clientId), foreign), /"aud" claim/);
  });

  it('requires the assertion: no client_id-only requests, no secrets', async () => {
    const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
    const form = await codeFor(clientId);
    expectInvalidClient(
      await exchangeCode(authz, { ...form, client_id: clientId }),
      /must authenticate with private_key_jwt/,
    );
    const withSecret = await exchangeCode(authz, { ...form, client_id: clientId, client_secret: 'guess' });
    expect(withSecret.status).toBe(401);
    // The code survived the refused attempts: authentication comes before the code is spent.
    await redeem(clientId, form, await assertion(clientId)).expect(200);
  });

  it('refuses a code once the document drops private_key_jwt: the client consented to stays confidential', async () => {
    const path = `/chatgpt/${++counter}.json`;
    const clientId = docs.url(path);
    const document = { client_id: clientId, client_name: 'ChatGPT', redirect_uris: [REDIRECT] };
    docs.serve(path, {
      body: { ...document, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: docs.url('/jwks.json') },
      headers: { 'cache-control': 'max-age=1' },
    });
    const form = await codeFor(clientId);
    docs.serve(path, { body: document });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const downgraded = await exchangeCode(authz, { ...form, client_id: clientId });
    expect(downgraded.status).toBe(400);
    expect(downgraded.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/changed its authentication method/),
    });
  });

  it('refuses assertions with a symmetric algorithm or two authentication methods at once', async () => {
    const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(`${authz.issuer}/token`)
      .setExpirationTime('1m')
      .setJti(randomUUID())
      .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!'));
    const form = await codeFor(clientId);
    expectInvalidClient(await redeem(clientId, form, hs), /algorithm is not allowed/);
    const both = await exchangeCode(authz, {
      ...form,
      client_secret: 'x',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(clientId),
    });
    expect(both.status).toBe(400);
    expect(both.body.error).toBe('invalid_request');
  });

  describe('at the revocation and introspection endpoints (RFC 7009, RFC 7662, RFC 7523)', () => {
    const withAssertion = (path: string, form: Record<string, string>, clientAssertion: string) =>
      authz
        .http()
        .post(path)
        .type('form')
        .send({ ...form, client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion });

    async function tokensFor(clientId: string) {
      const response = await redeem(clientId, await codeFor(clientId), await assertion(clientId)).expect(200);
      return response.body as { access_token: string; refresh_token: string };
    }

    it('introspects with an assertion naming the token endpoint or the introspection endpoint', async () => {
      const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
      const tokens = await tokensFor(clientId);
      for (const aud of [`${authz.issuer}/token`, `${authz.issuer}/introspect`, authz.issuer]) {
        const response = await withAssertion(
          '/introspect',
          { token: tokens.access_token },
          await assertion(clientId, { aud }),
        ).expect(200);
        expect(response.body).toMatchObject({ active: true, client_id: clientId, token_type: 'Bearer' });
      }
      const refresh = await withAssertion(
        '/introspect',
        { token: tokens.refresh_token, token_type_hint: 'refresh_token' },
        await assertion(clientId),
      ).expect(200);
      expect(refresh.body).toMatchObject({ active: true, token_type: 'refresh_token' });
    });

    it('revokes with an assertion: the grant is gone for /token and /introspect', async () => {
      const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
      const tokens = await tokensFor(clientId);
      const revoked = await withAssertion(
        '/revoke',
        { token: tokens.refresh_token },
        await assertion(clientId, { aud: `${authz.issuer}/revoke` }),
      );
      expect(revoked.status).toBe(200);
      const introspected = await withAssertion(
        '/introspect',
        { token: tokens.access_token },
        await assertion(clientId),
      ).expect(200);
      expect(introspected.body).toEqual({ active: false });
      const refreshed = await withAssertion(
        '/token',
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
        await assertion(clientId),
      );
      expect(refreshed.status).toBe(400);
      expect(refreshed.body.error).toBe('invalid_grant');
    });

    it('refuses a bad assertion, a replayed one and none at all with 401 invalid_client, revoking nothing', async () => {
      const clientId = confidentialClient({ jwks_uri: docs.url('/jwks.json') });
      const tokens = await tokensFor(clientId);
      const forged = await assertion(clientId, {
        signer: { ...otherKey, jwk: { ...otherKey.jwk, kid: 'k1' } },
      });
      expectInvalidClient(
        await withAssertion('/revoke', { token: tokens.refresh_token }, forged),
        /signature/,
      );
      const once = await assertion(clientId);
      await withAssertion('/introspect', { token: tokens.access_token }, once).expect(200);
      expectInvalidClient(
        await withAssertion('/revoke', { token: tokens.refresh_token }, once),
        /jti was already used/,
      );
      const foreign = await assertion(clientId, { aud: 'https://other-as.example/revoke' });
      expectInvalidClient(
        await withAssertion('/introspect', { token: tokens.access_token }, foreign),
        /"aud" claim/,
      );
      const bare = await authz
        .http()
        .post('/revoke')
        .type('form')
        .send({ token: tokens.refresh_token, client_id: clientId });
      expectInvalidClient(bare, /must authenticate with private_key_jwt/);
      // Nothing above revoked the grant.
      const still = await withAssertion(
        '/introspect',
        { token: tokens.refresh_token },
        await assertion(clientId),
      ).expect(200);
      expect(still.body.active).toBe(true);
    });
  });
});
