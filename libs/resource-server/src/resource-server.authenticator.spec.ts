import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessTokenVerifier, type ExpectedToken } from './access-token.verifier';
import { ResourceServerAuthenticator } from './resource-server.authenticator';
import { ResourceServerModule } from './resource-server.module';
import type { ResourceServerOptions } from './resource-server.options';
import { RevocationFeed } from './revocation-feed';
import { FakeAuthz, sleep, until } from './testing';

const BASE = 'http://localhost:3002';
const EXPECTED: ExpectedToken = { issuer: BASE, audience: `${BASE}/mcp` };
describe('ResourceServerAuthenticator (verification cache, grant status, pushed revocations)', () => {
  let authz: FakeAuthz;
  let module: TestingModule;
  let auth: ResourceServerAuthenticator;
  let verify: jest.SpyInstance;
  let feed: RevocationFeed;

  async function start(options: Partial<ResourceServerOptions> = {}): Promise<void> {
    await module?.close();
    module = await Test.createTestingModule({
      imports: [
        ResourceServerModule.forRootAsync({
          useFactory: () => ({
            authzInternalUrls: [authz.url],
            clockToleranceSeconds: 0,
            jwksCooldownMs: 0,
            jwksCacheMaxAgeMs: 600_000,
            authzTimeoutMs: 1000,
            fallbackMaxAgeMs: 200,
            ...options,
          }),
        }),
      ],
    }).compile();
    await module.init();
    auth = module.get(ResourceServerAuthenticator);
    feed = module.get(RevocationFeed);
    verify = jest.spyOn(module.get(AccessTokenVerifier), 'verify');
    await until(() => feed.up);
  }

  const token = (grantId: string, extra: { clientId?: string; expiresIn?: number } = {}) =>
    authz.token({ base: BASE, grantId, ...extra });
  const kindOf = async (raw: string, expected = EXPECTED) => (await auth.authenticate(raw, expected)).kind;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    authz = await FakeAuthz.start();
    await start();
  });
  afterAll(async () => {
    await module?.close();
    await authz.close();
    jest.restoreAllMocks();
  });

  it('verifies a token once and answers its repeats from the cache, without asking authz again', async () => {
    const raw = await token('g-cache');
    const calls = authz.grantStatusCalls;
    for (let i = 0; i < 5; i++) expect(await kindOf(raw)).toBe('valid');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(authz.grantStatusCalls - calls).toBe(1);
  });

  it('uses a cached token only for the issuer and audience it was verified for', async () => {
    const raw = await token('g-audience');
    expect(await kindOf(raw)).toBe('valid');
    const other = await auth.authenticate(raw, { issuer: BASE, audience: `${BASE}/other` });
    expect(other).toMatchObject({ kind: 'unauthorized', description: expect.stringMatching(/aud claim/) });
  });

  it('forgets a token at its expiry', async () => {
    const raw = await token('g-expiring', { expiresIn: 1 });
    expect(await kindOf(raw)).toBe('valid');
    await sleep(1100);
    expect(await auth.authenticate(raw, EXPECTED)).toMatchObject({ kind: 'unauthorized' });
  });

  it('refuses a token of a grant authz does not know (fail closed)', async () => {
    const raw = await token('g-unknown');
    authz.grants.delete('g-unknown');
    expect(await auth.authenticate(raw, EXPECTED)).toMatchObject({
      kind: 'unauthorized',
      error: 'invalid_token',
      description: expect.stringMatching(/does not know the grant/),
    });
  });

  it('refuses a token once its grant is revoked, and drops it from the verification cache', async () => {
    const raw = await token('g-revoked');
    expect(await kindOf(raw)).toBe('valid');
    verify.mockClear();
    authz.revoke('g-revoked');
    let result = await auth.authenticate(raw, EXPECTED);
    for (let i = 0; i < 50 && result.kind === 'valid'; i++) {
      await sleep(5);
      result = await auth.authenticate(raw, EXPECTED);
    }
    expect(result).toMatchObject({ kind: 'unauthorized', description: 'the access token has been revoked' });
    verify.mockClear();
    await auth.authenticate(raw, EXPECTED);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("refuses a client's tokens issued up to a client-wide revocation, not later ones", async () => {
    const before = await token('g-client-1', { clientId: 'revoked-client' });
    expect(await kindOf(before)).toBe('valid');
    authz.push({ type: 'client-revoked', client_id: 'revoked-client', at: Math.floor(Date.now() / 1000) });
    let kind = await kindOf(before);
    for (let i = 0; i < 50 && kind === 'valid'; i++) {
      await sleep(5);
      kind = await kindOf(before);
    }
    expect(kind).toBe('unauthorized');
    await sleep(1100);
    expect(await kindOf(await token('g-client-2', { clientId: 'revoked-client' }))).toBe('valid');
  });

  it('answers unavailable when authz cannot say, and keeps the token verified', async () => {
    const raw = await token('g-unavailable');
    authz.grantStatusBroken = true;
    try {
      expect(await auth.authenticate(raw, EXPECTED)).toMatchObject({
        kind: 'unavailable',
        retryAfterSeconds: 5,
      });
    } finally {
      authz.grantStatusBroken = false;
    }
    verify.mockClear();
    expect(await kindOf(raw)).toBe('valid');
    expect(verify).not.toHaveBeenCalled();
  });

  it('asks once for a new grant, however many requests wait for the answer', async () => {
    const raw = await token('g-burst');
    const calls = authz.grantStatusCalls;
    const kinds = await Promise.all(Array.from({ length: 10 }, () => kindOf(raw)));
    expect(kinds).toEqual(Array(10).fill('valid'));
    expect(authz.grantStatusCalls - calls).toBe(1);
  });

  it('never lets an answer that was in flight overwrite a revocation pushed meanwhile', async () => {
    const raw = await token('g-race');
    authz.grantStatusDelayMs = 100;
    try {
      const inFlight = auth.authenticate(raw, EXPECTED);
      await sleep(20);
      authz.revoke('g-race'); // the answer on its way still says active
      await inFlight;
      expect(await kindOf(raw)).toBe('unauthorized');
    } finally {
      authz.grantStatusDelayMs = 0;
    }
  });

  it('re-asks an active grant after fallbackMaxAgeMs while the channel is down, not before', async () => {
    const raw = await token('g-fallback');
    expect(await kindOf(raw)).toBe('valid');
    authz.streamRefused = true;
    authz.cutStreams();
    try {
      await until(() => !feed.up);
      const calls = authz.grantStatusCalls;
      authz.grants.set('g-fallback', 'revoked'); // not pushed
      await kindOf(raw);
      const early = authz.grantStatusCalls - calls;
      await sleep(250);
      expect(await kindOf(raw)).toBe('unauthorized');
      expect(early).toBeLessThanOrEqual(1);
    } finally {
      authz.streamRefused = false;
    }
    await until(() => feed.up);
  });

  it('re-confirms an active grant now and then even while the channel is up (a lost message)', async () => {
    await start({ recheckActiveMs: 100 });
    const raw = await token('g-recheck');
    expect(await kindOf(raw)).toBe('valid');
    authz.grants.set('g-recheck', 'revoked'); // never pushed
    await sleep(150);
    await kindOf(raw); // served from the cache, starts the re-confirmation
    await sleep(50);
    expect(await kindOf(raw)).toBe('unauthorized');
    await start();
  });

  it('flushes every grant when the stream comes back (an authz restart may have lost its store)', async () => {
    const raw = await token('g-restart');
    expect(await kindOf(raw)).toBe('valid');
    const epoch = authz.epoch;
    authz.restartWithLostStore();
    expect(authz.epoch).not.toBe(epoch);
    await until(() => !feed.up);
    await until(() => feed.up);
    expect(await auth.authenticate(raw, EXPECTED)).toMatchObject({
      description: expect.stringMatching(/does not know the grant/),
    });
  });
});
