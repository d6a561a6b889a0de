import { AuthorizationCodeRepository, GrantRepository } from '@app/oauth-store';
import { computeS256Challenge } from '@app/pkce';
import { sha256 } from '../src/common/random';
import { authorizeAndApprove, exchangeCode, pkce, useAuthz } from './support/authz-harness';

const INSPECTOR = 'mcp-inspector-client';
const REDIRECT = 'http://127.0.0.1:6274/oauth/callback';

describe('authz: token, client and registration refusals', () => {
  const authz = useAuthz({ AUTHZ_CODE_TTL_SECONDS: '1', AUTHZ_MAX_BODY_BYTES: '2048' });

  /** A fresh code for the Inspector client and the verifier that redeems it. */
  async function freshCode(overrides: { scope?: string } = {}) {
    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, {
      clientId: INSPECTOR,
      redirectUri: REDIRECT,
      challenge,
      ...overrides,
    });
    return { code: redirect.searchParams.get('code')!, verifier };
  }

  async function tokens() {
    const { code, verifier } = await freshCode();
    const response = await exchangeCode(authz, {
      code,
      verifier,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: INSPECTOR,
    }).expect(200);
    return response.body as { access_token: string; refresh_token: string };
  }

  const grantOf = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).grant_id as string;
  /** What a resource server is told about the token's grant. */
  const revoked = async (jwt: string) =>
    (
      await authz
        .http()
        .get(`/internal/grants/${grantOf(jwt)}`)
        .expect(200)
    ).body.status === 'revoked';
  describe('/token with an authorization code', () => {
    it('refuses a wrong verifier with invalid_grant', async () => {
      const { code } = await freshCode();
      const other = pkce().verifier;
      const response = await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: other,
        client_id: INSPECTOR,
      }).expect(400);
      expect(response.body.error).toBe('invalid_grant');
    });

    it('refuses a malformed verifier with invalid_request, and a missing one too', async () => {
      const { code } = await freshCode();
      for (const code_verifier of ['too-short', 'a'.repeat(43) + '!']) {
        const response = await exchangeCode(authz, {
          code,
          redirect_uri: REDIRECT,
          code_verifier,
          client_id: INSPECTOR,
        });
        expect(response.status).toBe(400);
        expect(response.body.error).toBe('invalid_request');
      }
      const missing = await exchangeCode(authz, { code, redirect_uri: REDIRECT, client_id: INSPECTOR });
      expect(missing.body.error).toBe('invalid_request');
    });

    it('refuses an expired code with invalid_grant', async () => {
      const { code, verifier } = await freshCode();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const response = await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: INSPECTOR,
      }).expect(400);
      expect(response.body.error).toBe('invalid_grant');
    });

    it('refuses a replayed code with invalid_grant and revokes the tokens it issued', async () => {
      const { code, verifier } = await freshCode();
      const form = { code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: INSPECTOR };
      const first = await exchangeCode(authz, form).expect(200);
      expect(await revoked(first.body.access_token)).toBe(false);
      const replay = await exchangeCode(authz, form).expect(400);
      expect(replay.body.error).toBe('invalid_grant');
      expect(await revoked(first.body.access_token)).toBe(true);
      const refresh = await authz
        .http()
        .post('/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: INSPECTOR });
      expect(refresh.body.error).toBe('invalid_grant');
    });

    it('revokes the grant of a replayed code even while the first redemption is still in flight', async () => {
      const { code, verifier } = await freshCode();
      // The first redemption has spent the code but has not issued tokens yet.
      const first = await authz.app.get(AuthorizationCodeRepository).consume(sha256(code));
      expect(first.outcome).toBe('consumed');
      const grantId = (first as { record: { grantId: string } }).record.grantId;
      const replay = await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: INSPECTOR,
      }).expect(400);
      expect(replay.body.error).toBe('invalid_grant');
      const grant = await authz.app.get(GrantRepository).find(grantId);
      expect(grant?.revokedAt).toEqual(expect.any(Number));
    });

    it('refuses a redirect_uri that differs from the authorization request', async () => {
      const { code, verifier } = await freshCode();
      const response = await exchangeCode(authz, {
        code,
        redirect_uri: 'http://127.0.0.1:6274/oauth/callback/debug',
        code_verifier: verifier,
        client_id: INSPECTOR,
      }).expect(400);
      expect(response.body.error).toBe('invalid_grant');
    });

    it('refuses a code redeemed by another client', async () => {
      const registered = await authz
        .http()
        .post('/register')
        .send({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' })
        .expect(201);
      const { code, verifier } = await freshCode();
      const response = await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: registered.body.client_id,
      }).expect(400);
      expect(response.body.error).toBe('invalid_grant');
    });

    it('refuses a resource that differs from the authorized one with invalid_target', async () => {
      const { code, verifier } = await freshCode();
      const response = await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: INSPECTOR,
        resource: 'http://localhost:3002/mcp',
      }).expect(400);
      expect(response.body.error).toBe('invalid_target');
    });

    it('checks PKCE against the RFC 7636 appendix B pair', () => {
      expect(computeS256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      );
    });
  });

  describe('/token with a refresh token', () => {
    const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
      authz
        .http()
        .post('/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: INSPECTOR, ...extra });

    it('refuses a wider scope with invalid_scope and keeps the refresh token usable', async () => {
      const { code, verifier } = await freshCode({ scope: 'mcp:tools:read' });
      const issued = await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: INSPECTOR,
      }).expect(200);
      const wider = await refresh(issued.body.refresh_token, {
        scope: 'mcp:tools:read mcp:tools:execute',
      }).expect(400);
      expect(wider.body.error).toBe('invalid_scope');
      const same = await refresh(issued.body.refresh_token, { scope: 'mcp:tools:read' }).expect(200);
      expect(same.body.scope).toBe('mcp:tools:read');
    });

    it('narrows the scope on request but keeps the original scope on the rotated refresh token', async () => {
      const issued = await tokens();
      const narrowed = await refresh(issued.refresh_token, { scope: 'mcp:tools:read' }).expect(200);
      expect(narrowed.body.scope).toBe('mcp:tools:read');
      const back = await refresh(narrowed.body.refresh_token).expect(200);
      expect(back.body.scope.split(' ')).toHaveLength(6);
    });

    it('revokes the whole grant when a rotated refresh token is used again after its successor', async () => {
      const issued = await tokens();
      const rotated = await refresh(issued.refresh_token).expect(200);
      const next = await refresh(rotated.body.refresh_token).expect(200);
      const reuse = await refresh(issued.refresh_token).expect(400);
      expect(reuse.body.error).toBe('invalid_grant');
      for (const accessToken of [issued.access_token, rotated.body.access_token, next.body.access_token]) {
        expect(await revoked(accessToken)).toBe(true);
      }
      const after = await refresh(next.body.refresh_token).expect(400);
      expect(after.body.error).toBe('invalid_grant');
    });

    it('refuses a resource change with invalid_target', async () => {
      const issued = await tokens();
      const response = await refresh(issued.refresh_token, { resource: 'https://evil.example/mcp' }).expect(
        400,
      );
      expect(response.body.error).toBe('invalid_target');
    });
  });

  describe('client authentication and request shape', () => {
    async function confidentialClient() {
      const registered = await authz
        .http()
        .post('/register')
        .send({
          redirect_uris: ['https://app.example/cb'],
          token_endpoint_auth_method: 'client_secret_basic',
        })
        .expect(201);
      return registered.body as { client_id: string; client_secret: string };
    }

    it('answers a bad Basic secret with 401 invalid_client and a Basic challenge', async () => {
      const client = await confidentialClient();
      const response = await authz
        .http()
        .post('/token')
        .auth(client.client_id, 'wrong-secret')
        .type('form')
        .send({
          grant_type: 'authorization_code',
          code: 'x',
          redirect_uri: 'https://app.example/cb',
          code_verifier: 'a'.repeat(43),
        });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
    });

    it('answers an unknown client with invalid_client', async () => {
      const response = await authz
        .http()
        .post('/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nobody' });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    });

    it('answers an unknown grant type with unsupported_grant_type', async () => {
      const response = await authz
        .http()
        .post('/token')
        .type('form')
        .send({ grant_type: 'password', client_id: INSPECTOR });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('unsupported_grant_type');
    });

    it('answers a missing grant_type and a repeated parameter with invalid_request naming the field', async () => {
      const missing = await authz.http().post('/token').type('form').send({ client_id: INSPECTOR });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        error: 'invalid_request',
        error_description: expect.stringContaining('grant_type'),
      });
      const repeated = await authz
        .http()
        .post('/token')
        .type('form')
        .send('grant_type=refresh_token&grant_type=authorization_code');
      expect(repeated.body.error).toBe('invalid_request');
    });

    it('answers a malformed JSON body with invalid_request and no stack trace', async () => {
      const response = await authz
        .http()
        .post('/token')
        .set('Content-Type', 'application/json')
        .send('{"grant_type":');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_request',
        error_description: 'The request body is malformed.',
      });
      expect(response.text).not.toMatch(/at .*\.js/);
    });

    it('answers a deeply nested JSON body with invalid_request, not a server error', async () => {
      for (const path of ['/token', '/register', '/revoke']) {
        const response = await authz
          .http()
          .post(path)
          .set('Content-Type', 'application/json')
          .send(`{"grant_type":"authorization_code","code":${'['.repeat(900)}${']'.repeat(900)}}`);
        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          error: 'invalid_request',
          error_description: 'The request body is nested too deeply.',
        });
      }
    });

    it('answers an oversized body with 413 invalid_request', async () => {
      const response = await authz
        .http()
        .post('/token')
        .type('form')
        .send({ grant_type: 'authorization_code', code: 'x'.repeat(5000) });
      expect(response.status).toBe(413);
      expect(response.body.error).toBe('invalid_request');
    });

    it('answers an empty body and a body of an unread content type with invalid_request', async () => {
      const empty = await authz.http().post('/token');
      expect(empty.status).toBe(400);
      expect(empty.body.error).toBe('invalid_request');
      const text = await authz.http().post('/token').set('Content-Type', 'text/plain').send('grant_type=x');
      expect(text.status).toBe(400);
      expect(text.body.error).toBe('invalid_request');
    });

    it('treats an empty client_secret of a public client as no secret (Swagger UI sends one)', async () => {
      const { code, verifier } = await freshCode();
      await exchangeCode(authz, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: INSPECTOR,
        client_secret: '',
      }).expect(200);
    });

    it('answers an unknown path with a JSON 404', async () => {
      const response = await authz.http().get('/nope').expect(404);
      expect(response.body).toEqual({ error: 'not_found', error_description: expect.any(String) });
    });
  });
});
