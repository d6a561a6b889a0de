import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RedisConnection } from './redis-connection';
import { THROTTLE_INCREMENT } from './redis-scripts';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * @nestjs/throttler's storage in Redis, so every authz instance counts against one budget per client. A fixed
 * window per key (INCR + PEXPIRE in one script), and a block key once the limit is passed.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: RedisConnection) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const id = `${throttlerName}:${key}`;
    const [totalHits, expiresIn, blocked, blockedFor] = (await this.redis.eval(
      THROTTLE_INCREMENT,
      [this.redis.key('throttle', id), this.redis.key('throttle-block', id)],
      [ttl, limit, blockDuration],
    )) as [number, number, number, number];
    return {
      totalHits,
      timeToExpire: seconds(expiresIn),
      isBlocked: blocked === 1,
      timeToBlockExpire: seconds(blockedFor),
    };
  }
}
