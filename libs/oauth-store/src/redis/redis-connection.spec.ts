import { TemporarilyUnavailableError } from '@app/oauth-errors';
import { startRedisServer, type RedisServerHandle } from '../testing';
import { later, sleep, uniqueId } from '../testing/contract-helpers';
import { RedisConnection } from './redis-connection';
import { RedisClientRepository, RedisConsentRepository } from './redis-clients.repository';
import { RedisGrantRepository } from './redis-grants.repository';
import {
  RedisAuthorizationCodeRepository,
  RedisInteractionRepository,
  RedisRefreshTokenRepository,
} from './redis-single-use.repositories';
import { RedisThrottlerStorage } from './redis-throttler.storage';

let server: RedisServerHandle;
let connection: RedisConnection;
const limits = { maxClients: 100 };

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  connection = new RedisConnection({
    backend: 'redis',
    url: server.url,
    keyPrefix: `${uniqueId('c')}:`,
    ...limits,
  });
  await connection.onModuleInit();
});
afterEach(() => connection.onApplicationShutdown());

describe('Redis store', () => {
  it('gives every key it writes a TTL, so nothing lingers past its record', async () => {
    const clients = new RedisClientRepository(connection, limits);
    const grants = new RedisGrantRepository(connection);
    const tokens = new RedisRefreshTokenRepository(connection);
    const client = { clientId: 'c1', redirectUris: [], grantTypes: [], responseTypes: [], scopes: [] };
    await clients.save({
      ...client,
      tokenEndpointAuthMethod: 'none',
      clientIdIssuedAt: 0,
      expiresAt: later(),
    });
    await clients.markUsed('c1', 1, later(120_000));
    await new RedisConsentRepository(connection).save({
      subject: 's',
      clientId: 'c1',
      scopes: [],
      grantedAt: 0,
      expiresAt: later(),
    });
    const grant = { grantId: 'g1', clientId: 'c1', subject: 's', scopes: [], resource: 'r', createdAt: 0 };
    await grants.save({ ...grant, expiresAt: later() });
    await grants.extend('g1', later(90_000));
    await grants.revoke('g1', 5);
    const token = {
      grantId: 'g1',
      clientId: 'c1',
      scopes: [],
      resource: 'r',
      issuedAt: 0,
      expiresAt: later(),
    };
    await tokens.save({ ...token, id: 'rt1' });
    await tokens.rotate({
      presentedId: 'rt1',
      successor: { ...token, id: 'rt2', parentId: 'rt1' },
      now: Date.now(),
      graceMs: 0,
    });
    await tokens.rotate({
      presentedId: 'rt2',
      successor: { ...token, id: 'rt3', parentId: 'rt2' },
      now: Date.now(),
      graceMs: 0,
    });
    const code = { clientId: 'c1', redirectUri: 'u', redirectUriProvided: true, scopes: [], resource: 'r' };
    const codes = new RedisAuthorizationCodeRepository(connection);
    await codes.save({
      ...code,
      id: 'code1',
      codeChallenge: 'x',
      codeChallengeMethod: 'S256',
      subject: 's',
      grantId: 'g1',
      issuer: 'i',
      authTime: 0,
      expiresAt: later(),
    });
    await codes.consume('code1');
    const interactions = new RedisInteractionRepository(connection);
    await interactions.save({
      ...code,
      id: 'i1',
      codeChallenge: 'x',
      codeChallengeMethod: 'S256',
      issuer: 'i',
      expiresAt: later(),
    });
    await interactions.setSubject('i1', 's', 1);
    await interactions.consume('i1');
    await new RedisThrottlerStorage(connection).increment('k', 60_000, 1, 60_000, 'default');
    await new RedisThrottlerStorage(connection).increment('k', 60_000, 1, 60_000, 'default');

    const keys = await connection.client.keys(`${connection.prefix}*`);
    // client, used-clients index, consent, grant and its two indexes (client, subject), 3 refresh tokens, code,
    // interaction, 2 throttle.
    expect(keys).toHaveLength(13);
    const ttls = await Promise.all(keys.map((key) => connection.client.pttl(key)));
    expect(ttls.every((ttl) => ttl > 0)).toBe(true);
  });

  it('counts rate-limit hits atomically across connections and blocks past the limit', async () => {
    const other = new RedisConnection({
      backend: 'redis',
      url: server.url,
      keyPrefix: connection.prefix,
      ...limits,
    });
    await other.onModuleInit();
    try {
      const storages = [new RedisThrottlerStorage(connection), new RedisThrottlerStorage(other)];
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => storages[i % 2].increment('ip', 60_000, 10, 30_000, 'default')),
      );
      // Hits 1..11 counted once each; the 12th arrives blocked and is not counted.
      expect(results.map((result) => result.totalHits).sort((a, b) => a - b)).toEqual([
        ...Array.from({ length: 11 }, (_, i) => i + 1),
        11,
      ]);
      expect(results.filter((result) => result.isBlocked)).toHaveLength(2);
      const blocked = await storages[0].increment('ip', 60_000, 10, 30_000, 'default');
      expect(blocked).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
      await expect(storages[1].increment('other-ip', 60_000, 10, 30_000, 'default')).resolves.toMatchObject({
        totalHits: 1,
        isBlocked: false,
        timeToExpire: 60,
      });
    } finally {
      await other.onApplicationShutdown();
    }
  });

  it('answers 503 temporarily_unavailable with Retry-After while Redis is down, and recovers by itself', async () => {
    const grants = new RedisGrantRepository(connection);
    const grant = { clientId: 'c', subject: 's', scopes: [], resource: 'r', createdAt: 0 };
    await grants.save({ ...grant, grantId: 'before', expiresAt: later() });
    await server.stop();
    try {
      const started = Date.now();
      const failure = await grants.find('before').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TemporarilyUnavailableError);
      expect((failure as TemporarilyUnavailableError).status).toBe(503);
      expect((failure as TemporarilyUnavailableError).headers()).toEqual({ 'Retry-After': '5' });
      expect(Date.now() - started).toBeLessThan(1_000);
      // Nothing queues while down: a burst fails at once instead of growing a backlog.
      const burstStarted = Date.now();
      const burst = await Promise.allSettled(Array.from({ length: 200 }, () => grants.find('x')));
      expect(burst.every((result) => result.status === 'rejected')).toBe(true);
      expect(Date.now() - burstStarted).toBeLessThan(1_000);
    } finally {
      await server.start();
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      if (connection.client.status === 'ready') break;
      await sleep(100);
    }
    await expect(grants.save({ ...grant, grantId: 'after', expiresAt: later() })).resolves.toBeUndefined();
    await expect(grants.find('after')).resolves.toMatchObject({ grantId: 'after' });
  });

  it('shuts down at once while Redis is down, between reconnect attempts', async () => {
    await server.stop();
    try {
      for (let attempt = 0; attempt < 50 && connection.client.status !== 'reconnecting'; attempt++)
        await sleep(20);
      expect(connection.client.status).toBe('reconnecting');
      const started = Date.now();
      await connection.onApplicationShutdown();
      expect(Date.now() - started).toBeLessThan(100);
      await sleep(1_200); // past the longest reconnect delay: it stopped trying
      expect(connection.client.status).not.toBe('ready');
    } finally {
      await server.start();
    }
  });
});
