import { Injectable } from '@nestjs/common';
import type { ConsumeResult, UpstreamLoginRecord, UpstreamTokenRecord } from '../records';
import { UpstreamLoginRepository, UpstreamTokenRepository } from '../repositories';
import { RedisConnection } from './redis-connection';
import { CONSUME } from './redis-scripts';
import { consumed, saveHash, type Consumed } from './redis-single-use.repositories';

/* Federation records: hashes with `d` the record's JSON (and `c` consumedAt for sign-ins), each with a TTL. */

@Injectable()
export class RedisUpstreamLoginRepository extends UpstreamLoginRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(login: UpstreamLoginRecord): Promise<void> {
    const key = this.redis.key('upstream-login', login.id);
    await saveHash(this.redis, key, { d: JSON.stringify(login) }, login.expiresAt);
  }

  async consume(id: string): Promise<ConsumeResult<UpstreamLoginRecord>> {
    const key = this.redis.key('upstream-login', id);
    const reply = (await this.redis.eval(CONSUME, [key], [Date.now()])) as Consumed;
    return consumed(reply, (fields) => JSON.parse(fields.d) as UpstreamLoginRecord);
  }
}

@Injectable()
export class RedisUpstreamTokenRepository extends UpstreamTokenRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(token: UpstreamTokenRecord): Promise<void> {
    const key = this.redis.key('upstream-token', token.grantId);
    await saveHash(this.redis, key, { d: JSON.stringify(token) }, token.expiresAt);
  }

  async find(grantId: string): Promise<UpstreamTokenRecord | undefined> {
    const fields = await this.redis.run((redis) => redis.hgetall(this.redis.key('upstream-token', grantId)));
    return fields.d === undefined ? undefined : (JSON.parse(fields.d) as UpstreamTokenRecord);
  }
}
