import { Test } from '@nestjs/testing';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMORY_REPOSITORIES } from './memory';
import { MemorySharedCache } from './memory/memory-shared.cache';
import { OAuthStoreModule, RATE_LIMIT_STORAGE } from './oauth-store.module';
import { REDIS_REPOSITORIES } from './redis';
import { RedisConnection } from './redis/redis-connection';
import { RedisSharedCache } from './redis/redis-shared.cache';
import { RedisThrottlerStorage } from './redis/redis-throttler.storage';
import { REPOSITORIES } from './repositories';
import { SharedCache } from './shared-cache';
import { SQLITE_REPOSITORIES } from './sqlite';
import type { OAuthStoreOptions } from './store-options';
import { startRedisServer, type RedisServerHandle } from './testing';

describe('OAuthStoreModule.forRoot', () => {
  let dir: string;
  let redis: RedisServerHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-store-module-'));
    redis = await startRedisServer();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await redis.close();
  });

  const boot = async (options: OAuthStoreOptions) => {
    const module = await Test.createTestingModule({ imports: [OAuthStoreModule.forRoot(options)] }).compile();
    return module.init();
  };

  it.each([
    ['memory', () => ({ backend: 'memory' as const }), MEMORY_REPOSITORIES],
    ['sqlite', () => ({ backend: 'sqlite' as const, file: join(dir, 'store.sqlite') }), SQLITE_REPOSITORIES],
    ['redis', () => ({ backend: 'redis' as const, url: redis.url }), REDIS_REPOSITORIES],
  ])('binds every repository to the %s backend', async (_name, options, implementations) => {
    const app = await boot({ ...options(), maxClients: 10 });
    for (const [name, token] of Object.entries(REPOSITORIES)) {
      expect(app.get(token)).toBeInstanceOf(implementations[name as keyof typeof REPOSITORIES]);
    }
    await app.close();
  });

  it('creates the SQLite file at boot', async () => {
    const file = join(dir, 'nested', 'oauth-store.sqlite');
    const app = await boot({ backend: 'sqlite', file, maxClients: 10 });
    expect(existsSync(file)).toBe(true);
    await app.close();
  });

  it('shares rate-limit counters and the cache through Redis only, and closes the connection on shutdown', async () => {
    const local = await boot({ backend: 'memory', maxClients: 10 });
    expect(local.get(RATE_LIMIT_STORAGE)).toBeUndefined();
    expect(local.get(SharedCache)).toBeInstanceOf(MemorySharedCache);
    await local.close();
    const shared = await boot({ backend: 'redis', url: redis.url, maxClients: 10 });
    expect(shared.get(RATE_LIMIT_STORAGE)).toBeInstanceOf(RedisThrottlerStorage);
    expect(shared.get(SharedCache)).toBeInstanceOf(RedisSharedCache);
    const connection = shared.get(RedisConnection);
    expect(connection.client.status).toBe('ready');
    await shared.close();
    expect(connection.client.status).toBe('end');
  });
});
