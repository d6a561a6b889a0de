import { Injectable } from '@nestjs/common';
import { byCreation, type GrantRecord } from '../records';
import { GrantRepository } from '../repositories';
import { fieldsOf, optionalNumber, RedisConnection, type HashFields } from './redis-connection';
import { GRANT_EXTEND, GRANT_REVOKE, GRANT_SAVE } from './redis-scripts';

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

  private clientIndex(clientId: string): string {
    return this.redis.key('grants-of-client', clientId);
  }

  private subjectIndex(subject: string): string {
    return this.redis.key('grants-of-subject', subject);
  }

  async save(grant: GrantRecord): Promise<void> {
    const key = this.redis.key('grant', grant.grantId);
    const { expiresAt, revokedAt, ...data } = grant;
    const now = Date.now();
    if (expiresAt <= now) {
      await this.redis.run((redis) => redis.del(key));
      return;
    }
    await this.redis.eval(
      GRANT_SAVE,
      [key, this.clientIndex(grant.clientId), this.subjectIndex(grant.subject)],
      [JSON.stringify(data), expiresAt, revokedAt ?? '', grant.grantId, now],
    );
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    return toGrant(await this.redis.run((redis) => redis.hgetall(this.redis.key('grant', grantId))));
  }

  async extend(grantId: string, expiresAt: number): Promise<void> {
    await this.redis.eval(GRANT_EXTEND, [this.redis.key('grant', grantId)], [expiresAt, grantId]);
  }

  async revoke(grantId: string, at: number): Promise<GrantRecord | undefined> {
    const flat = (await this.redis.eval(GRANT_REVOKE, [this.redis.key('grant', grantId)], [at])) as
      string[] | null;
    return flat ? toGrant(fieldsOf(flat)) : undefined;
  }

  async listByClient(clientId: string): Promise<GrantRecord[]> {
    return this.listIndexed(this.clientIndex(clientId));
  }

  async listBySubject(subject: string): Promise<GrantRecord[]> {
    return this.listIndexed(this.subjectIndex(subject));
  }

  /** The index's live members (scored by their expiry), read in one pipeline; the order is creation order. */
  private async listIndexed(index: string): Promise<GrantRecord[]> {
    const ids = await this.redis.run((redis) => redis.zrangebyscore(index, `(${Date.now()}`, '+inf'));
    if (ids.length === 0) return [];
    const replies = await this.redis.run(async (redis) => {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(this.redis.key('grant', id));
      return (await pipeline.exec()) ?? [];
    });
    return replies
      .map(([error, fields]) => (error ? undefined : toGrant(fields as HashFields)))
      .filter((grant): grant is GrantRecord => grant !== undefined)
      .sort(byCreation);
  }
}
