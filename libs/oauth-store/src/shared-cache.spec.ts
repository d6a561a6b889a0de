import { MEMORY_SHARED_CACHE_MAX_ENTRIES, MemorySharedCache } from './memory/memory-shared.cache';
import { RedisConnection } from './redis/redis-connection';
import { RedisSharedCache } from './redis/redis-shared.cache';
import { startRedisServer, type RedisServerHandle } from './testing';
import { describeSharedCacheContract } from './testing/shared-cache.contracts';

describeSharedCacheContract('memory', async () => ({
  cache: new MemorySharedCache(),
  dispose: async () => undefined,
}));

let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server.close());

describeSharedCacheContract('redis', async () => {
  const connection = new RedisConnection({
    backend: 'redis',
    url: server.url,
    keyPrefix: 'shared-cache:',
    maxClients: 1,
  });
  await connection.onModuleInit();
  return { cache: new RedisSharedCache(connection), dispose: () => connection.onApplicationShutdown() };
});

describe('MemorySharedCache bounds', () => {
  it('evicts the least recently used entry past its cap', async () => {
    const cache = new MemorySharedCache();
    for (let i = 0; i <= MEMORY_SHARED_CACHE_MAX_ENTRIES; i++) await cache.set(`k${i}`, 'v', 60_000);
    expect(await cache.get('k0')).toBeUndefined();
    expect(await cache.get(`k${MEMORY_SHARED_CACHE_MAX_ENTRIES}`)).toBe('v');
  });
});
