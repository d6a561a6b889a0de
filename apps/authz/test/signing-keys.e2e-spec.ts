import { generateKeyPairSync } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { loadAuthzConfig } from '../src/config/authz.config';
import { activeKey, readKeyFile, rotateKeyFile, writeKeyFile } from '../src/keys/key-file';
import { listSigningKeys, rotateSigningKeys } from '../src/keys/key-rotation';
import { signingKeyStoreFor } from '../src/keys/signing-key-store.factory';
import { baseEnv, removeDir, startAuthz, tempDataDir, type RunningAuthz } from './support/authz-harness';

const jwksOf = async (authz: Awaited<ReturnType<typeof startAuthz>>) =>
  (await authz.http().get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;

describe('authz: signing keys survive restarts and rotate', () => {
  const dataDir = tempDataDir();
  afterAll(() => removeDir(dataDir));

  it('creates the key file with mode 0600 and keeps verifying tokens issued before a restart', async () => {
    const first = await startAuthz(baseEnv(dataDir));
    const issued = await first.http().post('/auth/token').expect(200);
    const before = await jwksOf(first);
    await first.close();
    expect(statSync(join(dataDir, 'signing-keys.json')).mode & 0o777).toBe(0o600);

    const second = await startAuthz(baseEnv(dataDir));
    try {
      const after = await jwksOf(second);
      expect(after).toEqual(before);
      const { payload } = await jwtVerify(issued.body.access_token, createLocalJWKSet(after), {
        issuer: first.issuer,
        audience: `${first.issuer}/mcp`,
      });
      expect(payload.sub).toBe('developer');
    } finally {
      await second.close();
    }
  });
  it('rotates keys: new tokens use the new kid, the old key stays published for old tokens', async () => {
    const authz = await startAuthz(baseEnv(dataDir));
    try {
      const old = await authz.http().post('/auth/token').expect(200);
      const file = (await readKeyFile(dataDir))!;
      const rotated = await rotateKeyFile(file, Date.now(), 3_900_000);
      await writeKeyFile(dataDir, rotated);
      const newKid = activeKey(rotated).kid;
      // The running server watches the key file (polling); wait until it signs with the new key.
      let fresh = old;
      for (
        let attempt = 0;
        attempt < 40 && decodeProtectedHeader(fresh.body.access_token).kid !== newKid;
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        fresh = await authz.http().post('/auth/token').expect(200);
      }
      expect(decodeProtectedHeader(fresh.body.access_token).kid).toBe(newKid);
      const jwks = createLocalJWKSet(await jwksOf(authz));
      await expect(jwtVerify(old.body.access_token, jwks)).resolves.toBeDefined();
      await expect(jwtVerify(fresh.body.access_token, jwks)).resolves.toBeDefined();
      expect((await jwksOf(authz)).keys).toHaveLength(2);
    } finally {
      await authz.close();
    }
  });
  it('signs with a PEM key from config instead of the key file', async () => {
    const pemDir = tempDataDir();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const authz = await startAuthz(baseEnv(pemDir, { AUTHZ_SIGNING_KEY_PEM: pem.replace(/\n/g, '\\n') }));
    try {
      const token = await authz.http().post('/auth/token').expect(200);
      const jwks = await jwksOf(authz);
      expect(jwks.keys).toHaveLength(1);
      await expect(jwtVerify(token.body.access_token, createLocalJWKSet(jwks))).resolves.toBeDefined();
      expect(() => statSync(join(pemDir, 'signing-keys.json'))).toThrow();
    } finally {
      await authz.close();
      removeDir(pemDir);
    }
  });
});

describe('authz: signing keys shared by every instance in cluster mode (STORE_URL, real redis-server)', () => {
  let redis: RedisServerHandle;
  const dataDirs = [tempDataDir(), tempDataDir()];
  const running: RunningAuthz[] = [];
  const envOf = (dataDir: string) => baseEnv(dataDir, { STORE_URL: redis.url });
  const startBoth = async () => {
    running.push(...(await Promise.all(dataDirs.map((dir) => startAuthz(envOf(dir))))));
    return running.slice(-2);
  };
  const stopAll = () => Promise.all(running.splice(0).map((authz) => authz.close()));
  const kidOf = async (authz: RunningAuthz) =>
    decodeProtectedHeader((await authz.http().post('/auth/token').expect(200)).body.access_token).kid;

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true });
  });
  afterAll(async () => {
    await stopAll();
    await redis.close();
    dataDirs.forEach(removeDir);
  });

  it('two instances starting together publish one JWKS, rotate together, and keep the keys across a restart of all', async () => {
    const [a, b] = await startBoth();
    const jwks = await jwksOf(a);
    expect(jwks.keys).toHaveLength(1);
    expect(await jwksOf(b)).toEqual(jwks);
    // No key file: the keys live in Redis only.
    for (const dir of dataDirs) expect(() => statSync(join(dir, 'signing-keys.json'))).toThrow();
    const old = (await a.http().post('/auth/token').expect(200)).body.access_token as string;

    // The CLI's rotation (npm run keys:rotate, admin keys rotate) against Redis: both instances switch at once.
    const config = loadAuthzConfig(envOf(dataDirs[0]));
    const rotated = await rotateSigningKeys(config);
    const started = Date.now();
    while ((await kidOf(a)) !== rotated.active || (await kidOf(b)) !== rotated.active) {
      if (Date.now() - started > 2_000) throw new Error('an instance did not switch to the new key');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const rotatedJwks = await jwksOf(a);
    expect(await jwksOf(b)).toEqual(rotatedJwks);
    expect(rotatedJwks.keys.map((key) => key.kid).sort()).toEqual([rotated.active, rotated.previous].sort());
    const fresh = (await b.http().post('/auth/token').expect(200)).body.access_token as string;
    for (const token of [old, fresh]) {
      await expect(jwtVerify(token, createLocalJWKSet(rotatedJwks))).resolves.toBeDefined();
    }
    expect((await listSigningKeys(config)).map(({ kid, status }) => ({ kid, status }))).toEqual([
      { kid: rotated.active, status: 'active' },
      { kid: rotated.previous, status: 'published' },
    ]);

    // Redis (AOF) and both instances restart: the same keys, so tokens issued before still verify.
    await stopAll();
    await redis.restart();
    const [c, d] = await startBoth();
    expect(await jwksOf(c)).toEqual(rotatedJwks);
    expect(await jwksOf(d)).toEqual(rotatedJwks);
    expect(await kidOf(d)).toBe(rotated.active);
  });

  it('will not start with another AUTHZ_KEYS_ENCRYPTION_KEY than the one that sealed the keys', async () => {
    const sealedWithTheTestKey = signingKeyStoreFor(loadAuthzConfig(envOf(dataDirs[0])));
    await sealedWithTheTestKey.load();
    await sealedWithTheTestKey.close();
    await expect(
      startAuthz(
        baseEnv(dataDirs[0], {
          STORE_URL: redis.url,
          AUTHZ_KEYS_ENCRYPTION_KEY: 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=',
        }),
      ),
    ).rejects.toThrow(/AUTHZ_KEYS_ENCRYPTION_KEY does not open the signing keys kept in Redis/);
  });
});
