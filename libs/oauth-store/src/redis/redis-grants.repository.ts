import { Injectable } from '@nestjs/common';
import type { GrantRecord } from '../records';
import { GrantRepository } from '../repositories';
import { fieldsOf, optionalNumber, RedisConnection, type HashFields } from './redis-connection';
import { GRANT_EXTEND, GRANT_REVOKE } from './redis-scripts';

type GrantData = Omit<GrantRecord, 'expiresAt' | 'revokedAt'>;

/** `d` immutable JSON, `e` expiresAt, `r` revokedAt: find is one HGETALL. */
function toGrant(fields: HashFields): GrantRecord | undefined {
  if (fields.d === undefined) return undefined;
  const revokedAt = optionalNumber(fields.r);
  return {
    ...(JSON.parse(fields.d) as GrantData),
    expiresAt: Number(fields.e),
    ...(revokedAt === undefined ? {} : { revokedAt }),
  };
}

@Injectable()
export class RedisGrantRepository extends GrantRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(grant: GrantRecord): Promise<void> {
    const key = this.redis.key('grant', grant.grantId);
    const { expiresAt, revokedAt, ...data } = grant;
    const fields: Record<string, string | number> = { d: JSON.stringify(data), e: expiresAt };
    if (revokedAt !== undefined) fields.r = revokedAt;
    await this.redis.run<unknown>((redis) =>
      expiresAt <= Date.now()
        ? redis.del(key)
        : redis.multi().del(key).hset(key, fields).pexpireat(key, expiresAt).exec(),
    );
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    return toGrant(await this.redis.run((redis) => redis.hgetall(this.redis.key('grant', grantId))));
  }

  async extend(grantId: string, expiresAt: number): Promise<void> {
    await this.redis.eval(GRANT_EXTEND, [this.redis.key('grant', grantId)], [expiresAt]);
  }

  async revoke(grantId: string, at: number): Promise<GrantRecord | undefined> {
    const flat = (await this.redis.eval(GRANT_REVOKE, [this.redis.key('grant', grantId)], [at])) as
      string[] | null;
    return flat ? toGrant(fieldsOf(flat)) : undefined;
  }
}
