import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { authzConfig } from '../config/authz.config';
import { AccessTokenIssuer } from './access-token.issuer';
import { FileSigningKeyStore } from './file-signing-key.store';
import { activeKey, loadOrCreateKeyFile, rotateKeyFile, writeKeyFile } from './key-file';
import { SigningKeysService } from './signing-keys.service';

const REQUEST = {
  issuer: 'http://localhost:3002',
  subject: 'alice',
  clientId: 'client-1',
  scopes: ['mcp:tools:read', 'mcp:tools:execute'],
  resource: 'http://localhost:3002/mcp',
  grantId: 'grant-1',
};

describe('AccessTokenIssuer (RFC 9068 tokens signed through @nestjs/jwt)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'issuer-spec-'));
  const config = { dataDir, ttl: { accessToken: 600 } } as unknown as ConfigType<typeof authzConfig>;
  const services: SigningKeysService[] = [];

  async function issuerOnCurrentKeys(): Promise<{ issuer: AccessTokenIssuer; keys: SigningKeysService }> {
    const keys = new SigningKeysService(config, new FileSigningKeyStore(dataDir));
    await keys.onModuleInit();
    services.push(keys);
    return { issuer: new AccessTokenIssuer(new JwtService(), keys, config), keys };
  }

  afterAll(async () => {
    for (const keys of services) await keys.onModuleDestroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs RS256 with typ at+jwt and the signing key id, and carries every claim resource servers require', async () => {
    const { issuer, keys } = await issuerOnCurrentKeys();
    const before = Math.floor(Date.now() / 1000);
    const issued = await issuer.issue(REQUEST);
    expect(decodeProtectedHeader(issued.accessToken)).toEqual({
      alg: 'RS256',
      typ: 'at+jwt',
      kid: keys.signingKey.kid,
    });
    const { payload } = await jwtVerify(issued.accessToken, createLocalJWKSet(keys.jwks), {
      algorithms: ['RS256'],
      typ: 'at+jwt',
      issuer: REQUEST.issuer,
      audience: REQUEST.resource,
    });
    expect(payload).toEqual({
      iss: REQUEST.issuer,
      aud: REQUEST.resource,
      sub: 'alice',
      client_id: 'client-1',
      scope: 'mcp:tools:read mcp:tools:execute',
      grant_id: 'grant-1',
      jti: issued.jti,
      iat: expect.any(Number),
      exp: (payload.iat as number) + 600,
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(issued).toMatchObject({ expiresIn: 600, expiresAt: (payload.exp as number) * 1000, alg: 'RS256' });
    await expect(issuer.verify(issued.accessToken)).resolves.toMatchObject({ grant_id: 'grant-1' });
  });

  it('signs with the key active now: after a rotation new tokens use the new key, old ones still verify', async () => {
    const { issuer: beforeRotation } = await issuerOnCurrentKeys();
    const old = await beforeRotation.issue(REQUEST);
    const rotated = await rotateKeyFile(await loadOrCreateKeyFile(dataDir), Date.now(), 3_600_000);
    await writeKeyFile(dataDir, rotated);
    const { issuer: afterRotation, keys } = await issuerOnCurrentKeys();
    const fresh = await afterRotation.issue(REQUEST);
    expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(activeKey(rotated).kid);
    expect(decodeProtectedHeader(old.accessToken).kid).not.toBe(activeKey(rotated).kid);
    const jwks = createLocalJWKSet(keys.jwks);
    await expect(jwtVerify(old.accessToken, jwks)).resolves.toBeDefined();
    await expect(jwtVerify(fresh.accessToken, jwks)).resolves.toBeDefined();
    await expect(afterRotation.verify(old.accessToken)).resolves.toMatchObject({ jti: old.jti });
  });
});
