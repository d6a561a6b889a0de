import { decodeJwt } from 'jose';
import { authorizeAndApprove, exchangeCode, pkce, useAuthz } from './support/authz-harness';

const INSPECTOR = 'mcp-inspector-client';
const REDIRECT = 'http://127.0.0.1:6274/oauth/callback';

/**
 * A public client may identify itself at /introspect and /revoke with one of its own access tokens
 * (`Authorization: Bearer`, RFC 7662 §2.1, RFC 7009 §2.1): what Swagger UI sends after its Authorize flow.
 */
describe('authz: a bearer access token as the caller of /introspect and /revoke', () => {
  const authz = useAuthz();

  async function tokens(): Promise<{ access_token: string; refresh_token: string }> {
    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, {
      clientId: INSPECTOR,
      redirectUri: REDIRECT,
      challenge,
    });
    const form = {
      code: redirect.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: INSPECTOR,
    };
    return (await exchangeCode(authz, form).expect(200)).body;
  }

  it("introspects the caller's own tokens for a public client that shows a live token of its own", async () => {
    const own = await tokens();
    const other = await tokens();
    const answer = await authz
      .http()
      .post('/introspect')
      .set('Authorization', `Bearer ${own.access_token}`)
      .type('form')
      .send({ token: other.refresh_token })
      .expect(200);
    expect(answer.body).toMatchObject({ active: true, client_id: INSPECTOR, token_type: 'refresh_token' });
    const dev = await authz.http().post('/auth/token').expect(200);
    // Another client's token reads as inactive, as with client authentication (RFC 7662 §4).
    await authz
      .http()
      .post('/introspect')
      .set('Authorization', `Bearer ${own.access_token}`)
      .send({ token: dev.body.access_token })
      .expect(200, { active: false });
  });

  it('still refuses a public client that shows only its client_id', async () => {
    const own = await tokens();
    const refused = await authz
      .http()
      .post('/introspect')
      .type('form')
      .send({ token: own.access_token, client_id: INSPECTOR })
      .expect(401);
    expect(refused.body.error).toBe('invalid_client');
  });

  it('answers a token that is not live with 401 invalid_token and a Bearer challenge', async () => {
    const own = await tokens();
    await authz
      .http()
      .post('/revoke')
      .type('form')
      .send({ token: own.refresh_token, client_id: INSPECTOR })
      .expect(200);
    for (const bearer of [own.access_token, 'not-a-token']) {
      const refused = await authz
        .http()
        .post('/introspect')
        .set('Authorization', `Bearer ${bearer}`)
        .send({ token: 'x' })
        .expect(401);
      expect(refused.body.error).toBe('invalid_token');
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer /);
    }
  });

  it('revokes with the bearer as the caller, no client_id needed', async () => {
    const own = await tokens();
    const grantId = decodeJwt(own.access_token).grant_id as string;
    await authz
      .http()
      .post('/revoke')
      .set('Authorization', `Bearer ${own.access_token}`)
      .send({ token: own.refresh_token })
      .expect(200, {});
    const status = await authz.http().get(`/internal/grants/${grantId}`).expect(200);
    expect(status.body.status).toBe('revoked');
  });

  it("refuses a client_id that is not the bearer token's client", async () => {
    const own = await tokens();
    await authz
      .http()
      .post('/revoke')
      .set('Authorization', `Bearer ${own.access_token}`)
      .send({ token: own.refresh_token, client_id: 'swagger-ui' })
      .expect(400);
  });
});
