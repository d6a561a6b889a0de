import { Injectable } from '@nestjs/common';
import type { GrantRecord, IssuedAccessToken } from '../records';
import { GrantRepository, RevokedTokenRepository } from '../repositories';
import { fieldsOf, optionalNumber, RedisConnection, type HashFields } from './redis-connection';
import { GRANT_ADD_ACCESS_TOKEN, GRANT_EXTEND, GRANT_REVOKE } from './redis-scripts';

type GrantData = Omit<GrantRecord, 'expiresAt' | 'revokedAt' | 'accessTokens'>;

/** `d` immutable JSON, `e` expiresAt, `r` revokedAt, `t:<jti>` each access token's expiry: find is one HGETALL. */
function toGrant(fields: HashFields): GrantRecord | undefined {
  if (fields.d === undefined) return undefined;
  const accessTokens = Object.entries(fields)
    .filter(([field]) => field.startsWith('t:'))
    .map(([field, expiresAt]) => ({ jti: field.slice(2), expiresAt: Number(expiresAt) }));
  const revokedAt = optionalNumber(fields.r);
  return {
    ...(JSON.parse(fields.d) as GrantData),
    expiresAt: Number(fields.e),
    ...(revokedAt === undefined ? {} : { revokedAt }),
    accessTokens,
  };
}

@Injectable()
export class RedisGrantRepository extends GrantRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(grant: GrantRecord): Promise<void> {
    const key = this.redis.key('grant', grant.grantId);
    const { expiresAt, revokedAt, accessTokens, ...data } = grant;
    const fields: Record<string, string | number> = { d: JSON.stringify(data), e: expiresAt };
    if (revokedAt !== undefined) fields.r = revokedAt;
    for (const token of accessTokens) fields[`t:${token.jti}`] = token.expiresAt;
    await this.redis.run<unknown>((redis) =>
      expiresAt <= Date.now()
        ? redis.del(key)
        : redis.multi().del(key).hset(key, fields).pexpireat(key, expiresAt).exec(),
    );
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    return toGrant(await this.redis.run((redis) => redis.hgetall(this.redis.key('grant', grantId))));
  }

  async addAccessToken(grantId: string, token: IssuedAccessToken): Promise<void> {
    await this.redis.eval(
      GRANT_ADD_ACCESS_TOKEN,
      [this.redis.key('grant', grantId)],
      [token.jti, token.expiresAt, Date.now()],
    );
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

@Injectable()
export class RedisRevokedTokenRepository extends RevokedTokenRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async add(jti: string, expiresAt: number): Promise<void> {
    if (expiresAt <= Date.now()) return;
    await this.redis.run((redis) => redis.set(this.redis.key('revoked', jti), '1', 'PXAT', expiresAt));
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.redis.run((redis) => redis.exists(this.redis.key('revoked', jti)))) === 1;
  }
}
