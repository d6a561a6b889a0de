import { SignJWT } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { FakeAuthz } from './support/fake-authz';
import { INITIALIZE, postMcp, startHarness, type Harness } from './support/mcp-harness';

const SIX_SCOPES = ALL_MCP_SCOPES.join(' ');
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('mcp bearer authentication (RFC 6750, RFC 9068, MCP authorization)', () => {
  let harness: Harness;
  let prm: string;

  beforeAll(async () => {
    harness = await startHarness();
    prm = `${harness.base}/.well-known/oauth-protected-resource/mcp`;
  });

  afterAll(() => harness?.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function expectInvalidToken(response: Response, description: RegExp, metadata = prm): Promise<void> {
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${metadata}"`);
    expect(challenge).toContain(`scope="${SIX_SCOPES}"`);
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toMatch(/error_description="[^"\\]+"$/);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_token');
    expect(body.error_description).toContain('Unauthorized');
    expect(body.error_description).toMatch(description);
  }

  it('answers a request without a token with 401 and a challenge without an error code', async () => {
    const response = await postMcp(harness.base, INITIALIZE);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${prm}", scope="${SIX_SCOPES}"`,
    );
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBeTruthy();
    expect(body.error_description).toContain('Unauthorized');
  });

  it('accepts a valid token', async () => {
    const response = await postMcp(
      harness.base,
      INITIALIZE,
      bearer(await harness.authz.token({ base: harness.base })),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeTruthy();
  });

  it('refuses a malformed token', async () => {
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer('not-a-jwt')), /malformed/);
    await expectInvalidToken(
      await postMcp(harness.base, INITIALIZE, { Authorization: 'Bearer two words' }),
      /malformed/,
    );
  });

  it('refuses an expired token', async () => {
    const token = await harness.authz.token({ base: harness.base, expiresIn: -3600 });
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /expired/);
  });

  it('refuses a token for another audience (RFC 8707)', async () => {
    const token = await harness.authz.token({ base: harness.base, aud: 'http://127.0.0.1:1/other' });
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /aud claim/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await harness.authz.token({ base: harness.base, iss: 'http://evil.example' });
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /iss claim/);
  });

  it('refuses a token issued on another alias than the one the request used', async () => {
    const token = await harness.authz.token({ base: harness.base });
    const response = await postMcp(harness.base, INITIALIZE, {
      ...bearer(token),
      'X-Forwarded-Host': 'localhost:3002',
    });
    await expectInvalidToken(
      response,
      /iss claim/,
      'http://localhost:3002/.well-known/oauth-protected-resource/mcp',
    );
  });

  it('accepts a token for the alias the request came in on', async () => {
    const token = await harness.authz.token({ base: 'http://localhost:3002' });
    const response = await postMcp(harness.base, INITIALIZE, {
      ...bearer(token),
      'X-Forwarded-Host': 'localhost:3002',
    });
    expect(response.status).toBe(200);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: harness.base,
      aud: `${harness.base}/mcp`,
      sub: 'mallory',
      client_id: 'x',
      jti: 'none-1',
      iat: now,
      exp: now + 300,
      scope: SIX_SCOPES,
    };
    const token = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(claims)}.`;
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /RS256|malformed/);
  });

  it('refuses an HS256 token signed with the public key (algorithm confusion)', async () => {
    const key = harness.authz.keys[0];
    const token = await new SignJWT({ client_id: 'x', scope: SIX_SCOPES })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(harness.base)
      .setAudience(`${harness.base}/mcp`)
      .setSubject('mallory')
      .setJti('hs-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(key.publicPem));
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /RS256/);
  });

  it('refuses a token signed by a key the JWKS does not publish (unknown kid)', async () => {
    const stranger = await FakeAuthz.start();
    try {
      const token = await stranger.token({ base: harness.base, kid: 'unknown-kid' });
      await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /unknown key/);
    } finally {
      await stranger.close();
    }
  });

  it('refuses a JWT that is not an access token (typ)', async () => {
    const token = await harness.authz.token({ base: harness.base, typ: 'JWT' });
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /typ/);
  });

  it('refuses a token in the query string with invalid_request (RFC 6750 §2)', async () => {
    const token = await harness.authz.token({ base: harness.base });
    for (const headers of [{}, bearer(token)]) {
      const response = await postMcp(harness.base, INITIALIZE, headers, `/mcp?access_token=${token}`);
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate')!;
      expect(challenge).toContain('error="invalid_request"');
      expect(challenge).toContain(`resource_metadata="${prm}"`);
      expect(((await response.json()) as { error_description: string }).error_description).toContain(
        'Unauthorized',
      );
    }
  });

  it('refuses a form-encoded body token (RFC 6750 §2.2)', async () => {
    const token = await harness.authz.token({ base: harness.base });
    const response = await fetch(`${harness.base}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `access_token=${token}`,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('refuses another authentication scheme', async () => {
    const response = await postMcp(harness.base, INITIALIZE, { Authorization: 'Basic YTpi' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('refuses a token whose grant authz revoked, as soon as the revocation is pushed', async () => {
    const token = await harness.authz.token({ base: harness.base, grantId: 'grant-to-revoke' });
    expect((await postMcp(harness.base, INITIALIZE, bearer(token))).status).toBe(200);
    harness.authz.revoke('grant-to-revoke');
    // Pushed, so it lands between two requests; revocation.e2e-spec measures how fast.
    let response = await postMcp(harness.base, INITIALIZE, bearer(token));
    for (let attempt = 0; attempt < 50 && response.status === 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      response = await postMcp(harness.base, INITIALIZE, bearer(token));
    }
    await expectInvalidToken(response, /revoked/);
  });

  it('refuses a token whose grant authz does not know (fail closed)', async () => {
    const token = await harness.authz.token({ base: harness.base, grantId: 'grant-forgotten' });
    harness.authz.grants.delete('grant-forgotten');
    await expectInvalidToken(
      await postMcp(harness.base, INITIALIZE, bearer(token)),
      /does not know the grant/,
    );
  });

  it('refuses a token without a grant_id claim', async () => {
    const token = await harness.authz.token({ base: harness.base, claims: { grant_id: undefined } });
    await expectInvalidToken(await postMcp(harness.base, INITIALIZE, bearer(token)), /grant_id/);
  });

  it('fails closed with 503 and Retry-After when authz cannot say whether the grant is active', async () => {
    const token = await harness.authz.token({ base: harness.base, grantId: 'grant-unconfirmed' });
    harness.authz.grantStatusBroken = true;
    try {
      const response = await postMcp(harness.base, INITIALIZE, bearer(token));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { jsonrpc: string; error: { code: number; message: string } };
      expect(body.jsonrpc).toBe('2.0');
      expect(body.error.message).toMatch(/authorization server/i);
    } finally {
      harness.authz.grantStatusBroken = false;
    }
  });

  it.each([
    ['answers 500', 500],
    ['serves something that is not a key set', 200],
  ])('fails closed with 503, not 401 or 500, when the JWKS endpoint %s', async (_label, status) => {
    const fresh = await startHarness();
    try {
      fresh.authz.jwksBrokenStatus = status;
      const token = await fresh.authz.token({ base: fresh.base });
      const response = await postMcp(fresh.base, INITIALIZE, bearer(token));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/could not be reached/);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/);
    } finally {
      await fresh.close();
    }
  });

  it('verifies tokens signed with a rotated-in key without a restart, fetching the JWKS only when needed', async () => {
    const before = harness.authz.jwksFetches;
    const old = await harness.authz.token({ base: harness.base });
    expect((await postMcp(harness.base, INITIALIZE, bearer(old))).status).toBe(200);
    expect(harness.authz.jwksFetches).toBe(before); // cached

    const rotated = await harness.authz.addKey();
    const fresh = await harness.authz.token({ base: harness.base, key: rotated });
    expect((await postMcp(harness.base, INITIALIZE, bearer(fresh))).status).toBe(200);
    expect(harness.authz.jwksFetches).toBe(before + 1);
    expect((await postMcp(harness.base, INITIALIZE, bearer(old))).status).toBe(200);
  });
});
