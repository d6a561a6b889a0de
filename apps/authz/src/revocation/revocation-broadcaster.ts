import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { closeRedis } from '@app/oauth-store';
import { parseRevocationEvent, REVOCATION_CHANNEL, type RevocationEvent } from '@app/resource-server';
import { authzConfig } from '../config/authz.config';

const REDIS_TIMEOUT_MS = 2_000;
/** Own events published but not heard back yet; past this many (Redis was down), the tally starts over. */
const MAX_PENDING_ECHOES = 1_000;

export interface RevocationListener {
  /** Every event, as the JSON text that goes on the wire. */
  event(json: string): void;
  /** Events of other instances may have been missed: whoever relies on hearing all of them must start over. */
  gap?(): void;
}

/**
 * Pushes revocations to the resource servers as they happen: to the internal streams of this process
 * (RevocationStreamFrontDoor) and, in cluster mode (STORE_URL), on the Redis channel every resource server of
 * the cluster subscribes to. `epoch` names this process, so a resource server can tell a restart (whose store
 * may be empty) from a reconnect. In cluster mode the instance also listens on the channel and relays the other
 * instances' revocations to its own streams, so a resource server without Redis that fails over from one
 * instance's stream to another's still hears every revocation; while it is not listening (`complete` false) its
 * streams would miss some, so they are ended and new ones refused until it listens again.
 */
@Injectable()
export class RevocationBroadcaster implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly epoch = randomUUID();
  private readonly logger = new Logger('RevocationBroadcaster');
  private readonly listeners = new Set<RevocationListener>();
  private readonly redis?: Redis;
  private subscriber?: Redis;
  private listening = false;
  private readonly pendingEchoes = new Map<string, number>();

  constructor(@Inject(authzConfig.KEY) config: ConfigType<typeof authzConfig>) {
    // Cluster mode is the Redis store: revocations go on the same server every instance already shares.
    if (config.store.backend !== 'redis') return;
    this.redis = new Redis(config.store.url, {
      // A publish during a short reconnect waits for it (bounded) rather than being lost.
      commandTimeout: REDIS_TIMEOUT_MS,
      connectTimeout: REDIS_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    this.redis.on('error', () => undefined); // each failed publish is logged with its event
  }

  /** Whether every revocation of the cluster reaches this process's listeners (always, outside cluster mode). */
  get complete(): boolean {
    return !this.redis || this.listening;
  }

  /** Hears every event (this instance's and, in cluster mode, the others'); returns the unsubscribe. */
  subscribe(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once the event is written to every local stream and, in cluster mode, accepted by Redis (which
   * has then passed it to every subscriber), so a revocation is on its way everywhere before /revoke answers.
   */
  async publish(event: RevocationEvent): Promise<void> {
    const json = JSON.stringify(event);
    this.deliver(json);
    if (!this.redis) return;
    if (this.subscriber) {
      if (this.pendingEchoes.size >= MAX_PENDING_ECHOES) this.pendingEchoes.clear();
      this.pendingEchoes.set(json, (this.pendingEchoes.get(json) ?? 0) + 1);
    }
    try {
      await this.redis.publish(REVOCATION_CHANNEL, json);
    } catch (error) {
      // Recorded in the store all the same; resource servers re-confirm active grants now and then.
      this.logger.error(
        `could not publish ${event.type} on ${REVOCATION_CHANNEL}: ${(error as Error).message}`,
      );
    }
  }

  /** Tells the cluster's resource servers this instance started (they forget what they cached), and listens. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis) return;
    this.listen(this.redis);
    await this.publish({ type: 'hello', epoch: this.epoch });
  }

  async onApplicationShutdown(): Promise<void> {
    this.listening = false;
    for (const redis of [this.subscriber, this.redis]) if (redis) await closeRedis(redis);
  }

  private listen(redis: Redis): void {
    const subscriber = redis.duplicate({ autoResubscribe: false, enableOfflineQueue: false });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => {
      subscriber.subscribe(REVOCATION_CHANNEL).then(
        () => (this.listening = true),
        () => subscriber.disconnect(true),
      );
    });
    subscriber.on('close', () => {
      if (!this.listening) return;
      this.listening = false;
      for (const listener of this.listeners) listener.gap?.();
    });
    subscriber.on('message', (_channel: string, json: string) => this.relay(json));
  }

  /**
   * Another instance's revocation. Not its hello (for the resource servers that hear Redis themselves), nor a
   * key change: this instance announces that on its streams once it has reloaded the keys itself.
   */
  private relay(json: string): void {
    const own = this.pendingEchoes.get(json);
    if (own !== undefined) {
      if (own > 1) this.pendingEchoes.set(json, own - 1);
      else this.pendingEchoes.delete(json);
      return;
    }
    const event = parseRevocationEvent(json);
    if (event?.type === 'grant-revoked' || event?.type === 'client-revoked')
      this.deliver(JSON.stringify(event));
  }

  private deliver(json: string): void {
    for (const listener of this.listeners) listener.event(json);
  }
}
