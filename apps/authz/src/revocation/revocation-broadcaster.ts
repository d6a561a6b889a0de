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
import { REVOCATION_CHANNEL, type RevocationEvent } from '@app/resource-server';
import { authzConfig } from '../config/authz.config';

const REDIS_TIMEOUT_MS = 2_000;

/**
 * Pushes revocations to the resource servers as they happen: to the internal streams of this process
 * (RevocationStreamFrontDoor) and, in cluster mode (STORE_URL), on the Redis channel every resource server of
 * the cluster subscribes to. `epoch` names this process, so a resource server can tell a restart (whose store
 * may be empty) from a reconnect.
 */
@Injectable()
export class RevocationBroadcaster implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly epoch = randomUUID();
  private readonly logger = new Logger('RevocationBroadcaster');
  private readonly listeners = new Set<(json: string) => void>();
  private readonly redis?: Redis;

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

  /** Hears every event as the JSON text that goes on the wire; returns the unsubscribe. */
  subscribe(listener: (json: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once the event is written to every local stream and, in cluster mode, accepted by Redis (which
   * has then passed it to every subscriber), so a revocation is on its way everywhere before /revoke answers.
   */
  async publish(event: RevocationEvent): Promise<void> {
    const json = JSON.stringify(event);
    for (const listener of this.listeners) listener(json);
    if (!this.redis) return;
    try {
      await this.redis.publish(REVOCATION_CHANNEL, json);
    } catch (error) {
      // Recorded in the store all the same; resource servers re-confirm active grants now and then.
      this.logger.error(
        `could not publish ${event.type} on ${REVOCATION_CHANNEL}: ${(error as Error).message}`,
      );
    }
  }

  /** Tells the cluster's resource servers this instance started: they forget what they cached. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.redis) await this.publish({ type: 'hello', epoch: this.epoch });
  }

  /** QUIT when connected (a publish in flight is answered first), else just stop reconnecting. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.redis || this.redis.status === 'end') return;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis!.disconnect());
    else this.redis.disconnect();
  }
}
