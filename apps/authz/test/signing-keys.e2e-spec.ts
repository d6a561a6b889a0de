import { generateKeyPairSync } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { activeKey, readKeyFile, rotateKeyFile, writeKeyFile } from '../src/keys/key-file';
import { baseEnv, removeDir, startAuthz, tempDataDir } from './support/authz-harness';

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
