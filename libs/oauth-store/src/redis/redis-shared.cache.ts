import { Injectable } from '@nestjs/common';
import { SharedCache } from '../shared-cache';
import { RedisConnection } from './redis-connection';

/** Plain string keys with PX expiry; `add` is SET NX, atomic across every instance on the Redis. */
@Injectable()
export class RedisSharedCache extends SharedCache {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.run((client) => client.get(this.redis.key('cache', key)))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    await this.redis.run((client) => client.set(this.redis.key('cache', key), value, 'PX', ttl));
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const reply = await this.redis.run((client) =>
      client.set(this.redis.key('cache', key), value, 'PX', ttl, 'NX'),
    );
    return reply === 'OK';
  }
}
