import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import {
  authorizeAndApprove,
  authorizeQuery,
  baseEnv,
  exchangeCode,
  pkce,
  removeDir,
  startAuthz,
  tempDataDir,
  type RunningAuthz,
} from './support/authz-harness';
import { startDocumentServer, type DocumentServer } from './support/document-server';

const REDIRECT = 'https://chatgpt.com/connector/oauth/shared';
/** Both instances sit behind one gateway: the same public host, as the gateway forwards it. */
const PUBLIC = { 'X-Forwarded-Host': 'localhost:3002' };
const ISSUER = 'http://localhost:3002';

describe('authz: metadata documents and client assertions shared through Redis (STORE_URL)', () => {
  let redis: RedisServerHandle;
  let docs: DocumentServer;
  let dataDir: string;
  let a: RunningAuthz;
  let b: RunningAuthz;
  beforeAll(async () => {
    redis = await startRedisServer();
    docs = await startDocumentServer();
    dataDir = tempDataDir();
    const env = baseEnv(dataDir, { STORE_URL: redis.url, AUTHZ_CIMD_ALLOW_LOOPBACK: 'true' });
    [a, b] = [await startAuthz(env), await startAuthz(env)];
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await docs.stop();
    await redis.close();
    removeDir(dataDir);
  });

  it('fetches a document once for every instance', async () => {
    const clientId = docs.serveDocument('/shared.json', { client_name: 'Shared', redirect_uris: [REDIRECT] });
    for (const instance of [a, b, a, b]) {
      await instance
        .http()
        .get('/authorize')
        .set(PUBLIC)
        .query(authorizeQuery({ clientId, redirectUri: REDIRECT, challenge: pkce().challenge }))
        .expect(200);
    }
    expect(docs.fetchesOf('/shared.json')).toBe(1);
  });

  it('refuses on one instance a client assertion already used on the other', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' };
    const clientId = docs.serveDocument('/confidential.json', {
      client_name: 'Confidential',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [jwk] },
    });
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(`${ISSUER}/token`)
      .setExpirationTime('1m')
      .setJti(randomUUID())
      .sign(privateKey);
    const redeem = async (instance: RunningAuthz) => {
      const { verifier, challenge } = pkce();
      const redirect = await authorizeAndApprove(a, { clientId, redirectUri: REDIRECT, challenge }, PUBLIC);
      return exchangeCode(
        instance,
        {
          code: redirect.searchParams.get('code')!,
          code_verifier: verifier,
          redirect_uri: REDIRECT,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        },
        PUBLIC,
      );
    };
    expect((await redeem(a)).status).toBe(200);
    const replayed = await redeem(b);
    expect(replayed.status).toBe(401);
    expect(replayed.body.error_description).toMatch(/jti was already used/);
  });
});
