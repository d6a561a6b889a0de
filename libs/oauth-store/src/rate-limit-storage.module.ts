import { DynamicModule, Module } from '@nestjs/common';
import { RATE_LIMIT_STORAGE } from './oauth-store.module';
import { RedisConnection } from './redis/redis-connection';
import { RedisThrottlerStorage } from './redis/redis-throttler.storage';
import { OAUTH_STORE_OPTIONS, type OAuthStoreOptions } from './store-options';

export interface RateLimitStorageOptions {
  /** `redis://` or `rediss://`; unset: RATE_LIMIT_STORAGE is undefined (count in the process). */
  url?: string;
  /** Keeps this app's counters apart from authz's in a shared Redis. */
  keyPrefix: string;
}

/**
 * The shared @nestjs/throttler storage alone, for an app that counts requests in authz's Redis but keeps no
 * OAuth state of its own (mcp's tool-call limits): the same storage and connection handling as the store's.
 */
@Module({})
export class RateLimitStorageModule {
  static forRoot(options: RateLimitStorageOptions): DynamicModule {
    if (!options.url) {
      return {
        module: RateLimitStorageModule,
        global: true,
        providers: [{ provide: RATE_LIMIT_STORAGE, useValue: undefined }],
        exports: [RATE_LIMIT_STORAGE],
      };
    }
    const storeOptions: OAuthStoreOptions = {
      backend: 'redis',
      url: options.url,
      keyPrefix: options.keyPrefix,
      maxClients: 0,
    };
    return {
      module: RateLimitStorageModule,
      global: true,
      providers: [
        { provide: OAUTH_STORE_OPTIONS, useValue: storeOptions },
        RedisConnection,
        { provide: RATE_LIMIT_STORAGE, useClass: RedisThrottlerStorage },
      ],
      exports: [RATE_LIMIT_STORAGE],
    };
  }
}
