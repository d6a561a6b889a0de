import { ALL_MCP_SCOPES } from '@app/scopes';
import { createAuthzApp } from '../src/authz.app';
import { hashPassword } from '../src/users/local-users.service';
import {
  baseEnv,
  formAction,
  formField,
  pkce,
  removeDir,
  startAuthz,
  tempDataDir,
} from './support/authz-harness';

describe('authz: development conveniences, production mode and rate limits', () => {
  const dataDir = tempDataDir();
  afterAll(() => removeDir(dataDir));

  it('issues development tokens with all six scopes or a requested subset, and 404s when disabled', async () => {
    const authz = await startAuthz(baseEnv(dataDir));
    try {
      const all = await authz
        .http()
        .post('/auth/token')
        .set('X-Forwarded-Host', '127.0.0.1:3002')
        .expect(200);
      expect(all.headers['cache-control']).toBe('no-store');
      expect(all.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(all.body.scope.split(' ').sort()).toEqual([...ALL_MCP_SCOPES].sort());
      const claims = JSON.parse(Buffer.from(all.body.access_token.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({ iss: 'http://127.0.0.1:3002', aud: 'http://127.0.0.1:3002/mcp' });
      const some = await authz.http().post('/auth/token').send({ scope: 'mcp:tools:read' }).expect(200);
      expect(some.body.scope).toBe('mcp:tools:read');
      const bad = await authz.http().post('/auth/token').type('form').send({ scope: 'root' }).expect(400);
      expect(bad.body.error).toBe('invalid_scope');
    } finally {
      await authz.close();
    }
    const disabled = await startAuthz(baseEnv(dataDir, { AUTHZ_DEV_TOKENS: 'false' }));
    try {
      const response = await disabled.http().post('/auth/token').expect(404);
      expect(response.body.error).toBe('not_found');
    } finally {
      await disabled.close();
    }
  });
  it('refuses development switches in production at boot', async () => {
    for (const name of ['AUTHZ_DEV_TOKENS', 'AUTHZ_AUTO_LOGIN']) {
      await expect(
        createAuthzApp(baseEnv(dataDir, { NODE_ENV: 'production', [name]: 'true' })),
      ).rejects.toThrow(name);
    }
    await expect(
      createAuthzApp(baseEnv(dataDir, { NODE_ENV: 'production', AUTHZ_REGISTRATION_TOKEN: 'changeme' })),
    ).rejects.toThrow('AUTHZ_REGISTRATION_TOKEN');
  });
  it('in production: no dev token, a login form for local users, and a gated registration', async () => {
    const hash = await hashPassword('correct horse battery');
    const token = 'r'.repeat(40);
    const authz = await startAuthz(
      baseEnv(dataDir, {
        NODE_ENV: 'production',
        AUTHZ_USERS: `alice:${hash}`,
        AUTHZ_REGISTRATION_TOKEN: token,
      }),
    );
    try {
      await authz.http().post('/auth/token').expect(404);
      const unauthorized = await authz
        .http()
        .post('/register')
        .send({ redirect_uris: ['https://a.example/cb'] });
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.body.error).toBe('invalid_token');
      expect(unauthorized.headers['www-authenticate']).toMatch(
        /^Bearer realm="authz", error="invalid_token"/,
      );
      // The token is checked before the metadata, so an outsider learns nothing about the validation rules.
      const wrongAndMalformed = await authz
        .http()
        .post('/register')
        .auth(`${token}x`, { type: 'bearer' })
        .send({ redirect_uris: 'not-an-array' });
      expect(wrongAndMalformed.status).toBe(401);
      expect(wrongAndMalformed.body.error).toBe('invalid_token');
      await authz
        .http()
        .post('/register')
        .auth(token, { type: 'bearer' })
        .send({ redirect_uris: ['https://a.example/cb'] })
        .expect(201);

      const { verifier, challenge } = pkce();
      const redirectUri = 'http://127.0.0.1:6274/oauth/callback';
      const query = {
        response_type: 'code',
        client_id: 'mcp-inspector-client',
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      };
      const loginPage = await authz.http().get('/authorize').query(query).expect(200);
      expect(formAction(loginPage.text)).toBe(`${authz.issuer}/login`);
      const interactionId = formField(loginPage.text, 'interaction_id');
      // Approving before signing in is refused.
      const early = await authz
        .http()
        .post('/authorize/decision')
        .type('form')
        .send({ interaction_id: interactionId, decision: 'approve' });
      expect(early.status).toBe(400);
      expect(early.text).toContain('access_denied');

      const page2 = await authz.http().get('/authorize').query(query).expect(200);
      const id2 = formField(page2.text, 'interaction_id');
      const wrong = await authz
        .http()
        .post('/login')
        .type('form')
        .send({ interaction_id: id2, username: 'alice', password: 'nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('wrong password');
      const consent = await authz
        .http()
        .post('/login')
        .type('form')
        .send({ interaction_id: id2, username: 'alice', password: 'correct horse battery' })
        .expect(200);
      expect(consent.text).toContain('Signed in as <strong>alice</strong>');
      const decision = await authz
        .http()
        .post('/authorize/decision')
        .type('form')
        .send({ interaction_id: formField(consent.text, 'interaction_id'), decision: 'approve' })
        .expect(303);
      const code = new URL(decision.headers.location).searchParams.get('code')!;
      const issued = await authz
        .http()
        .post('/token')
        .type('form')
        .send({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
          client_id: 'mcp-inspector-client',
        })
        .expect(200);
      const claims = JSON.parse(Buffer.from(issued.body.access_token.split('.')[1], 'base64url').toString());
      expect(claims.sub).toBe('alice');
    } finally {
      await authz.close();
    }
  });
  const throttled = (authz: Awaited<ReturnType<typeof startAuthz>>) => (ip: string) =>
    authz.http().post('/token').set('X-Forwarded-For', ip).type('form').send({ grant_type: 'password' });

  it('rate-limits /token per client IP behind the gateway', async () => {
    const authz = await startAuthz(baseEnv(dataDir, { AUTHZ_RATE_LIMIT_MAX: '3' }));
    try {
      const hit = throttled(authz);
      for (let i = 0; i < 3; i++) expect((await hit('203.0.113.7')).status).toBe(400);
      const limited = await hit('203.0.113.7');
      expect(limited.status).toBe(429);
      expect(limited.body.error).toBe('temporarily_unavailable');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await hit('203.0.113.8')).status).toBe(400);
    } finally {
      await authz.close();
    }
  });

  it('counts an IPv6 client by its /64, so rotating addresses inside one network buys nothing', async () => {
    const authz = await startAuthz(baseEnv(dataDir, { AUTHZ_RATE_LIMIT_MAX: '3' }));
    try {
      const hit = throttled(authz);
      for (const address of ['2001:db8:1:2::1', '2001:db8:1:2:a:b:c:d', '2001:db8:1:2:ffff:ffff:ffff:ffff']) {
        expect((await hit(address)).status).toBe(400);
      }
      expect((await hit('2001:db8:1:2::99')).status).toBe(429);
      // The neighbouring /64 is someone else; an IPv4-mapped address counts as its IPv4 address.
      expect((await hit('2001:db8:1:3::1')).status).toBe(400);
      for (let i = 0; i < 3; i++) expect((await hit('198.51.100.7')).status).toBe(400);
      expect((await hit('::ffff:198.51.100.7')).status).toBe(429);
    } finally {
      await authz.close();
    }
  });

  it('ignores X-Forwarded-For from a peer that is not the trusted gateway', async () => {
    const authz = await startAuthz(
      baseEnv(dataDir, { AUTHZ_RATE_LIMIT_MAX: '3', AUTHZ_TRUST_PROXY: '192.0.2.1' }),
    );
    try {
      const hit = throttled(authz);
      // A client rotating spoofed addresses still counts as its own (loopback) address.
      for (let i = 0; i < 3; i++) expect((await hit(`203.0.113.${i}`)).status).toBe(400);
      expect((await hit('203.0.113.99')).status).toBe(429);
    } finally {
      await authz.close();
    }
  });
});
