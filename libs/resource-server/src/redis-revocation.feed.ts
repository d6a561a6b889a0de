import { Redis } from 'ioredis';
import type { OutageLog } from './outage-log';
import { parseRevocationEvent, REVOCATION_CHANNEL } from './revocation-event';
import { RevocationFeed, type RevocationListener } from './revocation-feed';
import { CHANNEL_DOWN } from './stream-revocation.feed';

const RECONNECT_MAX_MS = 1_000;
/** A subscribed connection is pinged this often; no PONG within the timeout means it is dead: reconnect. */
const PING_INTERVAL_MS = 5_000;

/**
 * Cluster mode (STORE_URL): revocations arrive by Redis pub/sub on REVOCATION_CHANNEL, published by every authz
 * instance. Pub/sub delivers only to connected subscribers, so every (re)subscription is a resync, and an authz
 * instance announcing itself (`hello`, it may have started on an emptied store) is one too.
 */
export class RedisRevocationFeed extends RevocationFeed {
  up = false;
  private readonly redis: Redis;
  private listener?: RevocationListener;
  private pinger?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    url: string,
    private readonly timeoutMs: number,
    private readonly outages: OutageLog,
  ) {
    super();
    this.redis = new Redis(url, {
      lazyConnect: true,
      // Resubscribing is ours to do, so it is known when the channel is live again.
      autoResubscribe: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_MS),
    });
  }

  start(listener: RevocationListener): void {
    this.listener = listener;
    this.redis.on('ready', () => void this.subscribe());
    this.redis.on('message', (_channel: string, message: string) => this.onMessage(message));
    this.redis.on('close', () => this.drop('the Redis connection closed'));
    this.redis.on('error', (error: Error) => this.drop(`Redis: ${error.message}`));
    this.redis.connect().catch(() => undefined); // retryStrategy keeps trying
    this.pinger = setInterval(() => void this.ping(), PING_INTERVAL_MS);
    this.pinger.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.up = false;
    clearInterval(this.pinger);
    if (this.redis.status === 'end') return;
    const ended = new Promise<void>((resolve) => this.redis.once('end', () => resolve()));
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
    await ended;
  }

  private async subscribe(): Promise<void> {
    try {
      await this.redis.subscribe(REVOCATION_CHANNEL);
    } catch (error) {
      this.drop(`subscribing failed: ${(error as Error).message}`);
      return this.redis.disconnect(true);
    }
    this.up = true;
    this.listener!.resync(`subscribed to ${REVOCATION_CHANNEL}`);
    this.outages.recovered(CHANNEL_DOWN, `revocation channel ${REVOCATION_CHANNEL} is up again`);
  }

  private onMessage(message: string): void {
    const event = parseRevocationEvent(message);
    if (!event || !this.up) return;
    if (event.type === 'hello') this.listener!.resync(`authz instance started (epoch ${event.epoch})`);
    else if (event.type === 'grant-revoked') this.listener!.grantRevoked(event.grant_id);
    else if (event.type === 'client-revoked') this.listener!.clientRevoked(event.client_id, event.at);
    else this.listener!.keysChanged();
  }

  private async ping(): Promise<void> {
    if (!this.up) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no PONG')), this.timeoutMs);
    });
    try {
      await Promise.race([this.redis.ping(), timeout]);
    } catch {
      this.drop('Redis did not answer a PING');
      this.redis.disconnect(true);
    } finally {
      clearTimeout(timer);
    }
  }

  private drop(reason: string): void {
    if (this.stopped) return;
    const wasUp = this.up;
    this.up = false;
    if (wasUp) this.listener!.lost(reason);
    this.outages.report(CHANNEL_DOWN, `${reason}; checking grants with authz per request meanwhile`);
  }
}
