import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { ExpectedToken } from './access-token.verifier';
import { AuthzInstances } from './authz-instances';
import { ResourceServerAuthenticator } from './resource-server.authenticator';
import { ResourceServerModule } from './resource-server.module';
import { RevocationFeed } from './revocation-feed';
import { FakeAuthz, sleep, until } from './testing';

const BASE = 'http://localhost:3002';
const EXPECTED: ExpectedToken = { issuer: BASE, audience: `${BASE}/mcp` };
describe('AuthzInstances (the failover rule)', () => {
  const instances = new AuthzInstances({ authzInternalUrls: ['http://a', 'http://b', 'http://c'] });

  it('asks the instance that answered last first, and the others in turn when it cannot answer', async () => {
    const asked: string[] = [];
    const answerFrom = (good: string) => (url: string) => {
      asked.push(url);
      return url === good ? Promise.resolve(url) : Promise.reject(new Error(`${url} is down`));
    };
    await expect(instances.first(answerFrom('http://a'))).resolves.toBe('http://a');
    await expect(instances.first(answerFrom('http://c'))).resolves.toBe('http://c');
    await expect(instances.first(answerFrom('http://c'))).resolves.toBe('http://c');
    expect(asked).toEqual(['http://a', 'http://a', 'http://b', 'http://c', 'http://c']);
    await expect(instances.first(answerFrom('none'))).rejects.toThrow('http://b is down');
  });
});

/** Two authz instances of one cluster (the same keys and grants), one of them going away. */
describe('a resource server with several authz instances (AUTHZ_INTERNAL_URL list, the gateway pool)', () => {
  let first: FakeAuthz;
  let second: FakeAuthz;
  let module: TestingModule;
  let auth: ResourceServerAuthenticator;
  let feed: RevocationFeed;

  const kindOf = async (raw: string) => (await auth.authenticate(raw, EXPECTED)).kind;
  /** A token of a grant both instances know (they share a store). */
  const issue = async (grantId: string, key = first.keys[0]) => {
    const token = await first.token({ base: BASE, grantId, key });
    second.grants.set(grantId, 'active');
    return token;
  };

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());
  beforeEach(async () => {
    [first, second] = await Promise.all([FakeAuthz.start(), FakeAuthz.start()]);
    second.keys.splice(0, second.keys.length, ...first.keys);
    module = await Test.createTestingModule({
      imports: [
        ResourceServerModule.forRootAsync({
          useFactory: () => ({
            authzInternalUrls: [first.url, second.url],
            clockToleranceSeconds: 0,
            jwksCooldownMs: 0,
            jwksCacheMaxAgeMs: 600_000,
            authzTimeoutMs: 500,
          }),
        }),
      ],
    }).compile();
    await module.init();
    auth = module.get(ResourceServerAuthenticator);
    feed = module.get(RevocationFeed);
    await until(() => feed.up);
  });
  afterEach(async () => {
    await module.close();
    await Promise.all([first.close().catch(() => undefined), second.close()]);
  });

  it('asks the first instance while it answers', async () => {
    expect(await kindOf(await issue('g1'))).toBe('valid');
    expect([first.jwksFetches, first.grantStatusCalls, first.streams.size]).toEqual([1, 1, 1]);
    expect([second.jwksFetches, second.grantStatusCalls, second.streams.size]).toEqual([0, 0, 0]);
  });

  it('verifies new tokens and new grants, and takes revocations, from the other instance once one is gone', async () => {
    expect(await kindOf(await issue('g1'))).toBe('valid');
    await first.close();
    // The stream moves to the other instance (a new epoch: a resync).
    await until(() => feed.up && second.streams.size === 1);

    // A key the resource server has not seen (a rotation) and a grant it never asked about: both from `second`.
    const rotated = await second.addKey();
    const fresh = await issue('g2', rotated);
    expect(await kindOf(fresh)).toBe('valid');
    expect(second.jwksFetches).toBe(1);
    expect(second.grantStatusCalls).toBe(1);

    second.revoke('g2');
    const refusedWithin = Date.now();
    while ((await kindOf(fresh)) === 'valid') await sleep(5);
    expect(Date.now() - refusedWithin).toBeLessThan(250);
    expect(second.grantStatusCalls).toBe(1); // pushed, not asked
  });

  it('answers 503 only when no instance can answer', async () => {
    const token = await issue('g3');
    first.grantStatusBroken = true;
    expect(await kindOf(token)).toBe('valid'); // the second instance answered
    second.grantStatusBroken = true;
    expect(await kindOf(await issue('g4'))).toBe('unavailable');
  });
});
