import { Injectable } from '@nestjs/common';
import type {
  AuthorizationCodeRecord,
  ConsumeResult,
  FederatedSignIn,
  InteractionRecord,
  RefreshTokenRecord,
  RotationRequest,
  RotationResult,
} from '../records';
import { AuthorizationCodeRepository, InteractionRepository, RefreshTokenRepository } from '../repositories';
import { fieldsOf, optionalNumber, RedisConnection, type HashFields } from './redis-connection';
import { CONSUME, INTERACTION_SET_SUBJECT, REFRESH_ROTATE } from './redis-scripts';

/*
 * Hashes: `d` the record's immutable JSON, `c` consumedAt, plus per-kind fields. Keys of codes and refresh
 * tokens are the hashes the app computed, so a dump of Redis holds no usable token.
 */

export type Consumed = [ConsumeResult<never>['outcome'], string[]] | null;

export async function saveHash(
  redis: RedisConnection,
  key: string,
  fields: Record<string, string>,
  expiresAt: number,
) {
  await redis.run<unknown>((client) =>
    expiresAt <= Date.now()
      ? client.del(key)
      : client.multi().del(key).hset(key, fields).pexpireat(key, expiresAt).exec(),
  );
}

export function consumed<T>(reply: Consumed, read: (fields: HashFields) => T): ConsumeResult<T> {
  if (!reply) return { outcome: 'not_found' };
  const [outcome, flat] = reply as ['consumed' | 'already_consumed', string[]];
  return { outcome, record: read(fieldsOf(flat)) };
}

@Injectable()
export class RedisAuthorizationCodeRepository extends AuthorizationCodeRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(code: AuthorizationCodeRecord): Promise<void> {
    await saveHash(this.redis, this.redis.key('code', code.id), { d: JSON.stringify(code) }, code.expiresAt);
  }

  async consume(id: string): Promise<ConsumeResult<AuthorizationCodeRecord>> {
    const reply = (await this.redis.eval(CONSUME, [this.redis.key('code', id)], [Date.now()])) as Consumed;
    return consumed(reply, (fields) => JSON.parse(fields.d) as AuthorizationCodeRecord);
  }
}

function toRefreshToken(fields: HashFields): RefreshTokenRecord {
  const consumedAt = optionalNumber(fields.c);
  return {
    ...(JSON.parse(fields.d) as RefreshTokenRecord),
    ...(consumedAt === undefined ? {} : { consumedAt }),
    ...(fields.s === undefined ? {} : { successorUsedId: fields.s }),
  };
}

@Injectable()
export class RedisRefreshTokenRepository extends RefreshTokenRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  private fieldsFor(token: RefreshTokenRecord): Record<string, string> {
    const { consumedAt, successorUsedId, ...data } = token;
    const fields: Record<string, string> = { d: JSON.stringify(data) };
    if (token.parentId !== undefined) fields.p = token.parentId;
    if (consumedAt !== undefined) fields.c = String(consumedAt);
    if (successorUsedId !== undefined) fields.s = successorUsedId;
    return fields;
  }

  async save(token: RefreshTokenRecord): Promise<void> {
    await saveHash(this.redis, this.redis.key('rt', token.id), this.fieldsFor(token), token.expiresAt);
  }

  async find(id: string): Promise<RefreshTokenRecord | undefined> {
    const fields = await this.redis.run((redis) => redis.hgetall(this.redis.key('rt', id)));
    return fields.d === undefined ? undefined : toRefreshToken(fields);
  }

  async rotate({ presentedId, successor, now, graceMs }: RotationRequest): Promise<RotationResult> {
    const { d } = this.fieldsFor(successor);
    const reply = (await this.redis.eval(
      REFRESH_ROTATE,
      [this.redis.key('rt', presentedId), this.redis.key('rt', successor.id)],
      [presentedId, now, graceMs, d, successor.expiresAt, successor.parentId ?? '', this.redis.key('rt', '')],
    )) as [RotationResult['outcome'], string[]] | null;
    if (!reply) return { outcome: 'not_found' };
    const [outcome, flat] = reply as ['rotated' | 'grace' | 'reused', string[]];
    return { outcome, record: toRefreshToken(fieldsOf(flat)) };
  }
}

function toInteraction(fields: HashFields): InteractionRecord {
  const authTime = optionalNumber(fields.a);
  return {
    ...(JSON.parse(fields.d) as InteractionRecord),
    ...(fields.s === undefined ? {} : { subject: fields.s }),
    ...(authTime === undefined ? {} : { authTime }),
    ...(fields.f === undefined ? {} : { federated: JSON.parse(fields.f) as FederatedSignIn }),
  };
}

@Injectable()
export class RedisInteractionRepository extends InteractionRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(interaction: InteractionRecord): Promise<void> {
    const { subject, authTime, federated, ...data } = interaction;
    const fields: Record<string, string> = { d: JSON.stringify(data) };
    if (subject !== undefined) fields.s = subject;
    if (authTime !== undefined) fields.a = String(authTime);
    if (federated !== undefined) fields.f = JSON.stringify(federated);
    await saveHash(this.redis, this.redis.key('interaction', interaction.id), fields, interaction.expiresAt);
  }

  async find(id: string): Promise<InteractionRecord | undefined> {
    const fields = await this.redis.run((redis) => redis.hgetall(this.redis.key('interaction', id)));
    return fields.d === undefined || fields.c !== undefined ? undefined : toInteraction(fields);
  }

  async setSubject(
    id: string,
    subject: string,
    authTime: number,
    federated?: FederatedSignIn,
  ): Promise<InteractionRecord | undefined> {
    const flat = (await this.redis.eval(
      INTERACTION_SET_SUBJECT,
      [this.redis.key('interaction', id)],
      [subject, authTime, federated ? JSON.stringify(federated) : ''],
    )) as string[] | null;
    return flat ? toInteraction(fieldsOf(flat)) : undefined;
  }

  async consume(id: string): Promise<ConsumeResult<InteractionRecord>> {
    const reply = (await this.redis.eval(
      CONSUME,
      [this.redis.key('interaction', id)],
      [Date.now()],
    )) as Consumed;
    return consumed(reply, toInteraction);
  }
}
