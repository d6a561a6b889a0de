import { decodeJwt } from 'jose';
import type { RevocationEvent } from '@app/resource-server';
import { GrantRepository } from '@app/oauth-store';
import { TokenRevocationService } from '../src/revocation/token-revocation.service';
import { authorizeAndApprove, exchangeCode, pkce, useAuthz } from './support/authz-harness';
import { readRevocationStream, type RevocationStreamReader } from './support/revocation-stream';

const INSPECTOR = 'mcp-inspector-client';
const REDIRECT = 'http://127.0.0.1:6274/oauth/callback';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

/**
 * Revocation as resource servers see it: access tokens name their grant, /internal/grants says what became of
 * it, and /internal/revocations pushes every grant revocation as it happens (RFC 7009, code replay, refresh
 * reuse). /revoke answers 200 whatever the token (RFC 7009 §2.2).
 */
describe('authz: revocation pushed to resource servers', () => {
  // No reuse grace: the second use of a rotated refresh token is a reuse at once.
  const authz = useAuthz({ AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '0' });
  let stream: RevocationStreamReader;

  beforeAll(async () => {
    stream = await readRevocationStream(`${authz.issuer}/internal/revocations`);
  });
  afterAll(() => stream?.close());

  async function codeAndVerifier(clientId = INSPECTOR, redirectUri = REDIRECT) {
    const { verifier, challenge } = pkce();
    const redirect = await authorizeAndApprove(authz, { clientId, redirectUri, challenge });
    return { code: redirect.searchParams.get('code')!, verifier };
  }

  async function tokens(clientId = INSPECTOR, redirectUri = REDIRECT): Promise<Tokens> {
    const { code, verifier } = await codeAndVerifier(clientId, redirectUri);
    const form = { code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId };
    return (await exchangeCode(authz, form).expect(200)).body as Tokens;
  }

  const grantOf = (tokenSet: Tokens) => decodeJwt(tokenSet.access_token).grant_id as string;
  const statusOf = async (grantId: string) =>
    (await authz.http().get(`/internal/grants/${grantId}`).expect(200)).body.status as string;
  const revoke = (token: string, clientId = INSPECTOR) =>
    authz.http().post('/revoke').type('form').send({ token, client_id: clientId });
  const refresh = (token: string) =>
    authz
      .http()
      .post('/token')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: token, client_id: INSPECTOR });
  const revokedEvent = (grantId: string) => (event: RevocationEvent) =>
    event.type === 'grant-revoked' && event.grant_id === grantId;

  it('opens the stream with a hello naming this process (its epoch) and the heartbeat', async () => {
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    const hello = await stream.next((event) => event.type === 'hello');
    expect(hello).toEqual({ type: 'hello', epoch: expect.any(String), heartbeat_ms: 5000 });
  });

  it('pushes the grant of a refresh token revoked with /revoke', async () => {
    const issued = await tokens();
    expect(await statusOf(grantOf(issued))).toBe('active');
    await revoke(issued.refresh_token).expect(200);
    await stream.next(revokedEvent(grantOf(issued)));
    expect(await statusOf(grantOf(issued))).toBe('revoked');
  });

  it('pushes the grant of an access token revoked with /revoke', async () => {
    const issued = await tokens();
    await revoke(issued.access_token).expect(200);
    await stream.next(revokedEvent(grantOf(issued)));
    expect(await statusOf(grantOf(issued))).toBe('revoked');
    expect((await refresh(issued.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('pushes the grant of a replayed authorization code (RFC 6749 §4.1.2)', async () => {
    const { code, verifier } = await codeAndVerifier();
    const form = { code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: INSPECTOR };
    const issued = (await exchangeCode(authz, form).expect(200)).body as Tokens;
    await exchangeCode(authz, form).expect(400);
    await stream.next(revokedEvent(grantOf(issued)));
    expect(await statusOf(grantOf(issued))).toBe('revoked');
  });

  it('pushes the grant of a reused refresh token (RFC 9700 §4.14.2)', async () => {
    const issued = await tokens();
    await refresh(issued.refresh_token).expect(200);
    await refresh(issued.refresh_token).expect(400);
    await stream.next(revokedEvent(grantOf(issued)));
    expect(await statusOf(grantOf(issued))).toBe('revoked');
  });

  it("answers 200 to another client's refresh or access token and revokes neither (RFC 7009 §2.2)", async () => {
    const victim = await tokens();
    const registration = await authz
      .http()
      .post('/register')
      .send({ redirect_uris: ['http://127.0.0.1:41888/cb'], token_endpoint_auth_method: 'none' })
      .expect(201);
    const attacker: string = registration.body.client_id;
    const seen = stream.events.length;
    for (const token of [victim.refresh_token, victim.access_token, 'not-a-token-at-all']) {
      const response = await revoke(token, attacker).expect(200);
      expect(response.body).toEqual({});
    }
    expect(await statusOf(grantOf(victim))).toBe('active');
    // Events arrive in order: once a later one is in, nothing was pushed for the tokens above.
    await authz.app.get(TokenRevocationService).revokeClient('sentinel');
    await stream.next((event) => event.type === 'client-revoked' && event.client_id === 'sentinel');
    expect(stream.events.slice(seen).map((event) => event.type)).toEqual(['client-revoked']);
    await refresh(victim.refresh_token).expect(200);
  });

  it('gives development tokens a grant of their own, so resource servers accept them', async () => {
    const dev = await authz.http().post('/auth/token').expect(200);
    expect(await statusOf(decodeJwt(dev.body.access_token).grant_id as string)).toBe('active');
  });

  it('revokes a client: each of its live grants, pushed, then the client-wide event', async () => {
    const registration = await authz
      .http()
      .post('/register')
      .send({ redirect_uris: ['http://127.0.0.1:41889/cb'], token_endpoint_auth_method: 'none' })
      .expect(201);
    const clientId: string = registration.body.client_id;
    const first = await tokens(clientId, 'http://127.0.0.1:41889/cb');
    const second = await tokens(clientId, 'http://127.0.0.1:41889/cb');
    const bystander = await tokens();
    const before = Math.floor(Date.now() / 1000);
    const revoked = await authz.app.get(TokenRevocationService).revokeClient(clientId);
    expect(revoked.sort()).toEqual([grantOf(first), grantOf(second)].sort());
    for (const grantId of revoked) {
      await stream.next(revokedEvent(grantId));
      expect(await statusOf(grantId)).toBe('revoked');
    }
    const event = await stream.next((e) => e.type === 'client-revoked' && e.client_id === clientId);
    expect((event as { at: number }).at).toBeGreaterThanOrEqual(before);
    expect(await statusOf(grantOf(bystander))).toBe('active');
    await expect(authz.app.get(TokenRevocationService).revokeClient(clientId)).resolves.toEqual([]);
  });

  it('re-announces on POST only what the store already says is revoked (the admin CLI beside a SQLite authz)', async () => {
    const live = await tokens();
    const done = await tokens();
    // Revoked in the store by another process: nothing pushed yet.
    await authz.app.get(GrantRepository).revoke(grantOf(done), Date.now());
    const seen = stream.events.length;
    const answer = await authz
      .http()
      .post('/internal/revocations')
      .send({ grant_ids: [grantOf(live), grantOf(done), 'unknown-grant'], client_id: INSPECTOR })
      .expect(200);
    // The live grant is not revoked by asking; the client still has an active grant, so no client event.
    expect(answer.body).toEqual({ announced: { grants: 1, client: false } });
    await stream.next(revokedEvent(grantOf(done)));
    expect(stream.events.slice(seen).map((event) => event.type)).toEqual(['grant-revoked']);
    expect(await statusOf(grantOf(live))).toBe('active');
    await authz.http().post('/internal/revocations').send({ grant_ids: 'x' }).expect(400);
    await authz
      .http()
      .post('/internal/revocations')
      .set('X-Forwarded-For', '198.51.100.1')
      .send({ grant_ids: [grantOf(done)] })
      .expect(404);
  });

  it('refuses the stream through a proxy (X-Forwarded-For) and to methods other than GET', async () => {
    const proxied = await authz
      .http()
      .get('/internal/revocations')
      .set('X-Forwarded-For', '198.51.100.1')
      .expect(404);
    expect(proxied.body.error).toBe('not_found');
    const put = await authz.http().put('/internal/revocations').expect(405);
    expect(put.headers.allow).toBe('GET, POST');
  });
});
