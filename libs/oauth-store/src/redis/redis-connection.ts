import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import { TemporarilyUnavailableError } from '@app/oauth-errors';
import { DEFAULT_REDIS_KEY_PREFIX, OAUTH_STORE_OPTIONS, type OAuthStoreOptions } from '../store-options';
import { closeRedis } from './close-redis';

/** What a client is told to wait while the store is unreachable; reconnect attempts run at least this often. */
export const STORE_RETRY_AFTER_SECONDS = 5;
const RECONNECT_MAX_DELAY_MS = 1_000;
const COMMAND_TIMEOUT_MS = 2_000;

/** Replies that mean "not now" rather than "wrong command": the server is loading, busy, failing over, full. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN|READONLY|NOREPLICAS|MISCONF)\b/;

export interface LuaScript {
  lua: string;
  sha: string;
}

export const luaScript = (lua: string): LuaScript => ({
  lua,
  sha: createHash('sha1').update(lua).digest('hex'),
});

/**
 * The one Redis connection of the store. Commands are never queued while disconnected (enableOfflineQueue off,
 * no retries per request): they fail at once, the caller answers 503 temporarily_unavailable with Retry-After,
 * and ioredis keeps reconnecting in the background so the service recovers by itself.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis;
  readonly prefix: string;
  private readonly logger = new Logger('OAuthStore');
  private down = false;

  constructor(@Inject(OAUTH_STORE_OPTIONS) options: OAuthStoreOptions) {
    if (options.backend !== 'redis') throw new Error('RedisConnection needs the redis store options');
    this.prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: COMMAND_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
    });
    this.client.on('error', (error: Error) => {
      if (this.down) return;
      this.down = true;
      this.logger.error(`Redis unavailable: ${error.message}`);
    });
    this.client.on('ready', () => {
      if (this.down) this.logger.log('Redis available again');
      this.down = false;
    });
  }

  /** Gives the first connection a moment at boot; a Redis still down then only means 503s until it is up. */
  async onModuleInit(): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, COMMAND_TIMEOUT_MS);
      this.client.once('ready', done);
    });
  }

  key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  /** Runs commands, turning connection trouble into the OAuth 503; real reply errors stay errors (500). */
  async run<T>(commands: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await commands(this.client);
    } catch (error) {
      if (error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message)) throw error;
      throw new TemporarilyUnavailableError(
        'The authorization server cannot reach its store; retry shortly.',
        STORE_RETRY_AFTER_SECONDS,
      );
    }
  }

  /** EVALSHA, loading the script on NOSCRIPT (first use, or after Redis restarted). */
  eval(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.run(async (redis) => {
      try {
        return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof ReplyError) || !/^NOSCRIPT/.test((error as Error).message)) throw error;
        return redis.eval(script.lua, keys.length, ...keys, ...args);
      }
    });
  }

  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.client);
  }
}

/** Redis hashes (HGETALL) come back as flat objects of strings. */
export type HashFields = Record<string, string>;

/** Lua returns HGETALL as a flat [field, value, ...] array. */
export function fieldsOf(flat: string[]): HashFields {
  const fields: HashFields = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
  return fields;
}

export const optionalNumber = (value: string | undefined) =>
  value === undefined ? undefined : Number(value);
