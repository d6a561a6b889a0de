import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { MEMORY_REPOSITORIES } from './memory';
import { MemorySharedCache } from './memory/memory-shared.cache';
import { REDIS_REPOSITORIES } from './redis';
import { RedisConnection } from './redis/redis-connection';
import { RedisSharedCache } from './redis/redis-shared.cache';
import { RedisThrottlerStorage } from './redis/redis-throttler.storage';
import { REPOSITORIES, type RepositoryImplementations } from './repositories';
import { SharedCache } from './shared-cache';
import { SQLITE_REPOSITORIES } from './sqlite';
import { SqliteDatabase } from './sqlite/sqlite-database';
import { OAUTH_STORE_OPTIONS, type OAuthStoreOptions } from './store-options';

/**
 * A @nestjs/throttler storage shared by every instance, or undefined when the store is local to this process
 * (the throttler's own in-memory storage is then exactly right).
 */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

const BACKENDS: Record<
  OAuthStoreOptions['backend'],
  { repositories: RepositoryImplementations; shared: Provider[] }
> = {
  memory: {
    repositories: MEMORY_REPOSITORIES,
    shared: [
      { provide: RATE_LIMIT_STORAGE, useValue: undefined },
      { provide: SharedCache, useClass: MemorySharedCache },
    ],
  },
  sqlite: {
    repositories: SQLITE_REPOSITORIES,
    shared: [
      SqliteDatabase,
      { provide: RATE_LIMIT_STORAGE, useValue: undefined },
      { provide: SharedCache, useClass: MemorySharedCache },
    ],
  },
  redis: {
    repositories: REDIS_REPOSITORIES,
    shared: [
      RedisConnection,
      { provide: RATE_LIMIT_STORAGE, useClass: RedisThrottlerStorage },
      { provide: SharedCache, useClass: RedisSharedCache },
    ],
  },
};

/**
 * Binds every repository token to the chosen backend. Connections close on application shutdown (Nest calls
 * onApplicationShutdown on app.close(), and on signals when shutdown hooks are enabled).
 */
@Module({})
export class OAuthStoreModule {
  static forRoot(options: OAuthStoreOptions): DynamicModule {
    const backend = BACKENDS[options.backend];
    const repositories = Object.entries(REPOSITORIES).map(([name, token]) => ({
      provide: token,
      useClass: backend.repositories[name as keyof typeof REPOSITORIES],
    }));
    return {
      module: OAuthStoreModule,
      global: true,
      providers: [{ provide: OAUTH_STORE_OPTIONS, useValue: options }, ...backend.shared, ...repositories],
      exports: [...Object.values(REPOSITORIES), RATE_LIMIT_STORAGE, SharedCache],
    };
  }
}
