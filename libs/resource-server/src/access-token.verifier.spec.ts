import { Logger } from '@nestjs/common';
import { SignJWT } from 'jose';
import { AccessTokenVerifier, type ExpectedToken } from './access-token.verifier';
import { AuthzInstances } from './authz-instances';
import { OutageLog } from './outage-log';
import { resolveResourceServerOptions, type ResourceServerOptions } from './resource-server.options';
import { FakeAuthz, type FakeTokenOptions, until } from './testing';

const BASE = 'http://localhost:3002';
const EXPECTED: ExpectedToken = { issuer: BASE, audience: `${BASE}/mcp` };
const TOLERANCE = 30;
const now = () => Math.floor(Date.now() / 1000);

describe('AccessTokenVerifier (RFC 9068 access tokens against the JWKS)', () => {
  let authz: FakeAuthz;
  const verifiers: OutageLog[] = [];

  function verifier(options: Partial<ResourceServerOptions> = {}): AccessTokenVerifier {
    const resolved = resolveResourceServerOptions({
      authzInternalUrls: [authz.url],
      clockToleranceSeconds: TOLERANCE,
      jwksCooldownMs: 0,
      jwksCacheMaxAgeMs: 600_000,
      authzTimeoutMs: 1000,
      maxTokenAgeSeconds: 3600,
      ...options,
    });
    const outages = new OutageLog(resolved);
    verifiers.push(outages);
    return new AccessTokenVerifier(resolved, new AuthzInstances(resolved), outages);
  }

  const token = (options: Omit<FakeTokenOptions, 'base'> = {}) => authz.token({ base: BASE, ...options });

  async function refusal(verify: Promise<unknown>): Promise<{ kind: string; description: string }> {
    const result = (await verify) as { kind: string; description: string };
    expect(result.kind).not.toBe('valid');
    return result;
  }

  async function expectInvalid(raw: string, description: RegExp, subject = verifier()): Promise<void> {
    const result = await refusal(subject.verify(raw, EXPECTED));
    expect(result).toMatchObject({ kind: 'unauthorized', error: 'invalid_token' });
    expect(result.description).toMatch(description);
    // Nothing of the token is echoed back.
    for (const part of raw.split('.')) if (part.length > 8) expect(result.description).not.toContain(part);
  }

  beforeAll(async () => {
    authz = await FakeAuthz.start();
  });
  afterAll(async () => {
    for (const outages of verifiers) outages.onApplicationShutdown();
    await authz.close();
  });

  it('accepts a valid token and reads its claims', async () => {
    const result = await verifier().verify(
      await token({ sub: 'bob', clientId: 'c1', scope: 'a b a', grantId: 'g-1', jti: 'j-1' }),
      EXPECTED,
    );
    expect(result).toMatchObject({
      kind: 'valid',
      subject: 'bob',
      clientId: 'c1',
      scopes: ['a', 'b'],
      jti: 'j-1',
      grantId: 'g-1',
      issuer: BASE,
      audience: [`${BASE}/mcp`],
    });
    expect(Object.isFrozen(result)).toBe(true);
  });

  it('accepts only RS256: not PS256 or RS512 signed with the same RSA key, not alg none (RFC 8725 §3.1)', async () => {
    await expectInvalid(await token({ alg: 'PS256' }), /not signed with RS256/);
    await expectInvalid(await token({ alg: 'RS512' }), /not signed with RS256/);
    const none = (await token()).split('.');
    none[0] = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    await expectInvalid(`${none[0]}.${none[1]}.`, /RS256|malformed/);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const forged = await new SignJWT({ client_id: 'x', grant_id: 'g', scope: '' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: authz.keys[0].kid })
      .setIssuer(BASE)
      .setAudience(`${BASE}/mcp`)
      .setSubject('mallory')
      .setJti('j')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(authz.keys[0].publicPem));
    await expectInvalid(forged, /RS256/);
  });

  it('refuses a JWT that is not an access token (typ, RFC 9068 §4)', async () => {
    await expectInvalid(await token({ typ: 'JWT' }), /typ/);
  });

  it("refuses another issuer, including another alias's", async () => {
    await expectInvalid(await token({ iss: 'http://127.0.0.1:3002' }), /iss claim/);
  });

  it('refuses a token for another resource; accepts one whose aud list names this one (RFC 8707)', async () => {
    await expectInvalid(await token({ aud: `${BASE}/other` }), /aud claim/);
    const listed = await verifier().verify(await token({ aud: [`${BASE}/other`, `${BASE}/mcp`] }), EXPECTED);
    expect(listed.kind).toBe('valid');
  });

  it('refuses an expired token, allowing the configured clock skew', async () => {
    await expectInvalid(await token({ expiresIn: -TOLERANCE - 5 }), /expired/);
    expect((await verifier().verify(await token({ expiresIn: -5 }), EXPECTED)).kind).toBe('valid');
  });

  it('refuses a token not yet valid (nbf), allowing the configured clock skew', async () => {
    await expectInvalid(await token({ claims: { nbf: now() + TOLERANCE + 60 } }), /nbf claim/);
    const soon = await token({ claims: { nbf: now() + 5 } });
    expect((await verifier().verify(soon, EXPECTED)).kind).toBe('valid');
  });

  it('refuses a token issued in the future or longer ago than any token lives (iat)', async () => {
    await expectInvalid(await token({ claims: { iat: now() + TOLERANCE + 60 } }), /iat claim/);
    await expectInvalid(await token({ claims: { iat: now() - 7200 } }), /expired/);
  });

  it.each(['iss', 'aud', 'exp', 'iat', 'sub', 'jti', 'client_id', 'grant_id'])(
    'refuses a token without %s',
    async (claim) => {
      await expectInvalid(await token({ claims: { [claim]: undefined } }), new RegExp(`${claim}|expired`));
    },
  );

  it.each([
    ['sub', 42],
    ['client_id', ''],
    ['jti', ['x']],
    ['grant_id', 'not/a grant'],
    ['scope', ['a', 'b']],
  ])('refuses a token whose %s claim is malformed', async (claim, value) => {
    await expectInvalid(await token({ claims: { [claim]: value } }), new RegExp(`${claim} claim`));
  });

  it('refetches the JWKS for an unknown kid, at most once per cooldown', async () => {
    const subject = verifier({ jwksCooldownMs: 1000 });
    const rotated = await authz.generateKey();
    const fromRotated = await token({ key: rotated });
    expect((await subject.verify(await token(), EXPECTED)).kind).toBe('valid');
    const fetched = authz.jwksFetches;
    authz.keys.push(rotated);
    // Within the cooldown of the first fetch: no refetch, so the new kid is unknown for now.
    await expectInvalid(fromRotated, /unknown key/, subject);
    expect(authz.jwksFetches).toBe(fetched);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await subject.verify(await token({ key: rotated }), EXPECTED)).kind).toBe('valid');
    expect(authz.jwksFetches).toBe(fetched + 1);
    await expectInvalid(await token({ kid: 'never-published' }), /unknown key/, subject);
    expect(authz.jwksFetches).toBe(fetched + 1);
  });

  it('takes a rotated key at once when authz announces new keys, even one it fetched too early', async () => {
    const subject = verifier({ jwksCooldownMs: 600_000 });
    expect((await subject.verify(await token(), EXPECTED)).kind).toBe('valid');
    const rotated = await authz.generateKey();
    const fromRotated = await token({ key: rotated });
    // The announcement arrives before this instance publishes the key: the eager fetch gets the old set.
    const fetched = authz.jwksFetches;
    subject.keysChanged();
    await until(() => authz.jwksFetches === fetched + 1);
    authz.keys.push(rotated);
    // The first token of the new key fetches again despite the cooldown, and verifies.
    expect((await subject.verify(fromRotated, EXPECTED)).kind).toBe('valid');
    expect(authz.jwksFetches).toBe(fetched + 2);
    // Garbage kids do not turn that into a refetch per request.
    await expectInvalid(await token({ kid: 'never-published' }), /unknown key/, subject);
    await expectInvalid(await token({ kid: 'never-published-2' }), /unknown key/, subject);
    expect(authz.jwksFetches).toBeLessThanOrEqual(fetched + 3);
  });

  it('answers unavailable (a 503, not invalid_token) when no key set can be had', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      for (const status of [500, 200]) {
        authz.jwksBrokenStatus = status;
        const result = await verifier().verify(await token(), EXPECTED);
        expect(result).toMatchObject({ kind: 'unavailable', retryAfterSeconds: 5 });
      }
      authz.jwksBrokenStatus = undefined;
      const gone = verifier({ authzInternalUrls: ['http://127.0.0.1:9'] });
      expect((await gone.verify(await token(), EXPECTED)).kind).toBe('unavailable');
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^JWKS unavailable: /));
    } finally {
      authz.jwksBrokenStatus = undefined;
      warn.mockRestore();
    }
  });
});
