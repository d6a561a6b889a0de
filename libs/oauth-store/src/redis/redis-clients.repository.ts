import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { byRegistration, type ClientRecord, type ConsentRecord, type StoredClientRecord } from '../records';
import { ClientRepository, ConsentRepository } from '../repositories';
import { OAUTH_STORE_OPTIONS, type StoreLimits } from '../store-options';
import { optionalNumber, RedisConnection, type HashFields } from './redis-connection';
import { CLIENT_COUNT, CLIENT_MARK_USED, CLIENT_SAVE } from './redis-scripts';

function toClient(fields: HashFields): ClientRecord | undefined {
  if (fields.d === undefined) return undefined;
  const lastUsedAt = optionalNumber(fields.u);
  return {
    ...(JSON.parse(fields.d) as ClientRecord),
    expiresAt: Number(fields.e),
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
  };
}

/** Clients as hashes (`d` JSON, `e` expiresAt, `u` lastUsedAt) plus two indexes for the cap (see CLIENT_SAVE). */
@Injectable()
export class RedisClientRepository extends ClientRepository {
  private readonly unusedIndex: string;
  private readonly usedIndex: string;

  constructor(
    private readonly redis: RedisConnection,
    @Inject(OAUTH_STORE_OPTIONS) private readonly limits: StoreLimits,
  ) {
    super();
    this.unusedIndex = redis.key('clients', 'unused');
    this.usedIndex = redis.key('clients', 'used');
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    return toClient(await this.redis.run((redis) => redis.hgetall(this.redis.key('client', clientId))));
  }

  /** The two indexes' live members, read in one pipeline. */
  async list(): Promise<ClientRecord[]> {
    const now = `(${Date.now()}`;
    const ids = await this.redis.run(async (redis) => [
      ...(await redis.zrangebyscore(this.unusedIndex, now, '+inf')),
      ...(await redis.zrangebyscore(this.usedIndex, now, '+inf')),
    ]);
    if (ids.length === 0) return [];
    const replies = await this.redis.run(async (redis) => {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(this.redis.key('client', id));
      return (await pipeline.exec()) ?? [];
    });
    return replies
      .map(([error, fields]) => (error ? undefined : toClient(fields as HashFields)))
      .filter((client): client is ClientRecord => client !== undefined)
      .sort(byRegistration);
  }

  async save(client: StoredClientRecord): Promise<void> {
    const now = Date.now();
    if (client.expiresAt <= now) return this.delete(client.clientId);
    const { expiresAt, lastUsedAt: _lastUsedAt, ...data } = client;
    await this.redis.eval(
      CLIENT_SAVE,
      [this.redis.key('client', client.clientId), this.unusedIndex, this.usedIndex],
      [
        client.clientId,
        JSON.stringify(data),
        expiresAt,
        now,
        this.limits.maxClients,
        this.redis.key('client', ''),
      ],
    );
  }

  async markUsed(clientId: string, at: number, expiresAt: number): Promise<void> {
    await this.redis.eval(
      CLIENT_MARK_USED,
      [this.redis.key('client', clientId), this.unusedIndex, this.usedIndex],
      [clientId, at, expiresAt],
    );
  }

  async delete(clientId: string): Promise<void> {
    await this.redis.run<unknown>((redis) =>
      redis
        .multi()
        .del(this.redis.key('client', clientId))
        .zrem(this.unusedIndex, clientId)
        .zrem(this.usedIndex, clientId)
        .exec(),
    );
  }

  async count(): Promise<number> {
    return Number(await this.redis.eval(CLIENT_COUNT, [this.unusedIndex, this.usedIndex], [Date.now()]));
  }
}

/** One string per subject and client, keyed by a hash of both (fixed length, no separator ambiguity). */
@Injectable()
export class RedisConsentRepository extends ConsentRepository {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  private keyOf(subject: string, clientId: string): string {
    const digest = createHash('sha256')
      .update(JSON.stringify([subject, clientId]))
      .digest('base64url');
    return this.redis.key('consent', digest);
  }

  async find(subject: string, clientId: string): Promise<ConsentRecord | undefined> {
    const json = await this.redis.run((redis) => redis.get(this.keyOf(subject, clientId)));
    return json === null ? undefined : (JSON.parse(json) as ConsentRecord);
  }

  async save(consent: ConsentRecord): Promise<void> {
    const key = this.keyOf(consent.subject, consent.clientId);
    await this.redis.run<unknown>((redis) =>
      consent.expiresAt <= Date.now()
        ? redis.del(key)
        : redis.set(key, JSON.stringify(consent), 'PXAT', consent.expiresAt),
    );
  }
}
