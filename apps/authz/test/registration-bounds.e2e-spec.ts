import { ClientRepository } from '@app/oauth-store';
import {
  authorizeAndApprove,
  authorizeQuery,
  exchangeCode,
  pkce,
  useAuthz,
  type RunningAuthz,
} from './support/authz-harness';

const REDIRECT = 'http://127.0.0.1:5555/cb';
const register = (authz: RunningAuthz, metadata: Record<string, unknown> = {}) =>
  authz
    .http()
    .post('/register')
    .send({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', ...metadata });
const authorizePage = (authz: RunningAuthz, clientId: string) =>
  authz
    .http()
    .get('/authorize')
    .query(authorizeQuery({ clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));

describe('authz: registration bounds', () => {
  describe('metadata size limits per field', () => {
    const authz = useAuthz();
    const uri = (length: number) =>
      `https://app.example/${'a'.repeat(length - 'https://app.example/'.length)}`;

    it.each([
      ['9 redirect URIs', { redirect_uris: Array.from({ length: 9 }, (_, i) => `${REDIRECT}/${i}`) }],
      ['a redirect URI of 513 characters', { redirect_uris: [uri(513)] }],
      ['a client_uri of 513 characters', { client_uri: uri(513) }],
      ['a client_name of 201 characters', { client_name: 'n'.repeat(201) }],
      ['6 contacts', { contacts: Array.from({ length: 6 }, (_, i) => `ops${i}@app.example`) }],
      ['a contact of 255 characters', { contacts: [`${'c'.repeat(243)}@app.example`] }],
      ['a software_id of 129 characters', { software_id: 's'.repeat(129) }],
      ['a software_version of 65 characters', { software_version: 'v'.repeat(65) }],
    ])('refuses %s with invalid_client_metadata', async (_case, metadata) => {
      const response = await register(authz, metadata).expect(400);
      expect(response.body).toEqual({
        error: 'invalid_client_metadata',
        error_description: expect.any(String),
      });
    });

    it('accepts metadata at every limit', async () => {
      await register(authz, {
        redirect_uris: Array.from({ length: 8 }, (_, i) => `http://127.0.0.1:${5000 + i}/${'p'.repeat(490)}`),
        client_uri: uri(512),
        logo_uri: uri(512),
        tos_uri: uri(512),
        policy_uri: uri(512),
        client_name: 'n'.repeat(200),
        contacts: Array.from({ length: 5 }, (_, i) => `${i}${'c'.repeat(241)}@app.example`),
        software_id: 's'.repeat(128),
        software_version: 'v'.repeat(64),
      }).expect(201);
    });
  });

  describe('lifetime of registered clients (AUTHZ_DCR_UNUSED_TTL)', () => {
    const authz = useAuthz({ AUTHZ_DCR_UNUSED_TTL: '3600', AUTHZ_REFRESH_TOKEN_TTL_SECONDS: '86400' });

    it('stores a new client until the unused TTL, and keeps it for the refresh lifetime once used', async () => {
      const registered = await register(authz, {
        grant_types: ['authorization_code', 'refresh_token'],
      }).expect(201);
      const clientId: string = registered.body.client_id;
      const clients = authz.app.get(ClientRepository);
      const stored = await clients.find(clientId);
      expect(stored?.lastUsedAt).toBeUndefined();
      expect(stored!.expiresAt! - Date.now()).toBeGreaterThan(3_590_000);
      expect(stored!.expiresAt! - Date.now()).toBeLessThanOrEqual(3_600_000);

      const { verifier, challenge } = pkce();
      const redirect = await authorizeAndApprove(authz, { clientId, redirectUri: REDIRECT, challenge });
      const afterAuthorization = await clients.find(clientId);
      expect(afterAuthorization?.lastUsedAt).toEqual(expect.any(Number));
      expect(afterAuthorization!.expiresAt! - Date.now()).toBeGreaterThan(86_390_000);

      await exchangeCode(authz, {
        code: redirect.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: clientId,
      }).expect(200);
      const afterToken = await clients.find(clientId);
      expect(afterToken!.lastUsedAt).toBeGreaterThanOrEqual(afterAuthorization!.lastUsedAt!);
    });
  });

  describe('cap on live clients (AUTHZ_DCR_MAX_CLIENTS)', () => {
    const authz = useAuthz({ AUTHZ_DCR_MAX_CLIENTS: '2' });

    it('evicts the oldest never-used client, never one that completed an authorization', async () => {
      const used = (await register(authz).expect(201)).body.client_id as string;
      await authorizeAndApprove(authz, {
        clientId: used,
        redirectUri: REDIRECT,
        challenge: pkce().challenge,
      });
      const idle = (await register(authz).expect(201)).body.client_id as string;
      const newest = (await register(authz).expect(201)).body.client_id as string;

      await expect(authz.app.get(ClientRepository).count()).resolves.toBe(2);
      const gone = await authorizePage(authz, idle);
      expect(gone.status).toBe(400);
      expect(gone.text).toContain('invalid_client');
      await authorizePage(authz, used).expect(200);
      await authorizePage(authz, newest).expect(200);
    });

    it('never evicts a configured client', async () => {
      for (let i = 0; i < 3; i++) await register(authz).expect(201);
      await authz
        .http()
        .get('/authorize')
        .query(
          authorizeQuery({
            clientId: 'mcp-inspector-client',
            redirectUri: 'http://localhost:6274/oauth/callback',
            challenge: pkce().challenge,
          }),
        )
        .expect(200);
    });
  });
});
