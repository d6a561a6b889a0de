import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, removeDir, startAuthz, tempDataDir } from './support/authz-harness';
import { createState, expectStateKept } from './support/restart-scenario';
import { isActive, issueTokens, registerConfidentialClient } from './support/token-client';

describe('authz: state across restarts (default SQLite store)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDataDir();
  });
  afterEach(() => removeDir(dataDir));

  it('keeps registered clients, consents, refresh tokens and revocations; the file holds no usable token', async () => {
    const first = await startAuthz(baseEnv(dataDir));
    const state = await createState(first);
    await first.close();

    const second = await startAuthz(baseEnv(dataDir));
    try {
      await expectStateKept(second, state);
    } finally {
      await second.close();
    }
    const files = readdirSync(dataDir).filter((name) => name.startsWith('oauth-store.sqlite'));
    expect(files).toContain('oauth-store.sqlite');
    const dump = files.map((name) => readFileSync(join(dataDir, name)).toString('latin1')).join('\n');
    expect(dump).toContain(state.client.clientId);
    for (const secret of state.secrets) expect(dump).not.toContain(secret);
  });

  it('forgets everything on restart with AUTHZ_STORE=memory, by explicit choice', async () => {
    const env = baseEnv(dataDir, { AUTHZ_STORE: 'memory' });
    const first = await startAuthz(env);
    const client = await registerConfidentialClient(first);
    await issueTokens(first, client);
    await first.close();
    expect(readdirSync(dataDir).some((name) => name.startsWith('oauth-store'))).toBe(false);

    const second = await startAuthz(env);
    try {
      const response = await second
        .http()
        .post('/introspect')
        .auth(client.clientId, client.secret)
        .type('form')
        .send({ token: 'x' });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    } finally {
      await second.close();
    }
  });

  it('keeps a revoked grant revoked across a restart', async () => {
    const first = await startAuthz(baseEnv(dataDir));
    const client = await registerConfidentialClient(first);
    const pair = await issueTokens(first, client);
    await first
      .http()
      .post('/revoke')
      .auth(client.clientId, client.secret)
      .type('form')
      .send({ token: pair.refresh_token })
      .expect(200);
    await first.close();
    const second = await startAuthz(baseEnv(dataDir));
    try {
      expect(await isActive(second, client, pair.access_token)).toBe(false);
      // What a resource server asking after the restart is told about the token's grant.
      const grantId = JSON.parse(
        Buffer.from(pair.access_token.split('.')[1], 'base64url').toString(),
      ).grant_id;
      const status = await second.http().get(`/internal/grants/${grantId}`);
      expect(status.body).toEqual({ grant_id: grantId, status: 'revoked' });
    } finally {
      await second.close();
    }
  });
});
