import { Redis } from 'ioredis';
import { closeRedis } from '@app/oauth-store';
import { REVOCATION_CHANNEL, type RevocationEvent } from '@app/resource-server';
import type { TokenCipher } from '../common/token-cipher';
import { activeKey, newKeySet, rotateKeyFile, type KeyFile, type StoredSigningKey } from './key-file';
import { SigningKeyStore, type KeySetWatcher } from './signing-key.store';

/** Under the store's `authz:` prefix; the channel tells every instance the set changed (never what it holds). */
export const SIGNING_KEYS_KEY = 'authz:signing-keys';
export const SIGNING_KEYS_CHANNEL = 'authz:signing-keys';
/**
 * Like every key of the store, the set expires: each running instance renews it at every re-read, so it lapses
 * only after a month with no instance running, when no token it signed can still be valid.
 */
const TTL_SECONDS = 30 * 86_400;
/** The safety net behind the notice: a notice lost on the way is made up for this often. */
export const SIGNING_KEYS_RECHECK_MS = 30_000;
const TIMEOUT_MS = 2_000;
/** At boot, how long authz waits for a Redis that is not up yet before giving up. */
const BOOT_WAIT_MS = 30_000;
const ROTATION_ATTEMPTS = 5;

/** A stored key with its private key sealed (AES-256-GCM, the kid as additional data). */
type SealedKey = Omit<StoredSigningKey, 'privateKeyPem'> & { sealedPrivateKey: string };

/**
 * Compare-and-set: the new set replaces exactly the one the rotation read, and the notices go out with it: to
 * the authz instances (reload), and to the resource servers on the revocation channel (refetch the JWKS).
 */
const REPLACE_IF_UNCHANGED = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 1`;
const KEYS_CHANGED: RevocationEvent = { type: 'keys-changed' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cluster mode: one key set for every authz instance, in Redis under SIGNING_KEYS_KEY, private keys sealed with
 * AUTHZ_KEYS_ENCRYPTION_KEY (a Redis dump, AOF file or replica holds no usable key). The first instance creates
 * it (SET NX: of instances starting together, one wins and the others read its set); a rotation is a
 * compare-and-set that publishes a notice on SIGNING_KEYS_CHANNEL in the same script, so every instance reloads
 * at once; each also re-reads every SIGNING_KEYS_RECHECK_MS and on every (re)subscription, in case a notice was
 * lost, and puts its set back if Redis lost it.
 */
export class RedisSigningKeyStore extends SigningKeyStore {
  readonly location = `Redis (${SIGNING_KEYS_KEY})`;
  private readonly redis: Redis;
  private subscriber?: Redis;
  private recheck?: NodeJS.Timeout;
  /** The stored text last read or written: a re-read that finds it unchanged costs nothing more. */
  private lastRaw?: string;

  constructor(
    url: string,
    private readonly cipher: TokenCipher,
    private readonly recheckMs = SIGNING_KEYS_RECHECK_MS,
  ) {
    super();
    this.redis = new Redis(url, {
      connectTimeout: TIMEOUT_MS,
      commandTimeout: TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    // The store's connection reports Redis outages; here a failed command is answered where it is made.
    this.redis.on('error', () => undefined);
  }

  async load(): Promise<KeyFile> {
    const raw = await this.untilAnswered(() => this.redis.getex(SIGNING_KEYS_KEY, 'EX', TTL_SECONDS));
    if (raw !== null) return this.open(raw);
    const fresh = await newKeySet();
    const sealed = this.seal(fresh);
    if ((await this.redis.set(SIGNING_KEYS_KEY, sealed, 'EX', TTL_SECONDS, 'NX')) === 'OK') {
      this.lastRaw = sealed;
      return fresh;
    }
    const winner = await this.redis.get(SIGNING_KEYS_KEY);
    if (winner === null) throw new Error(`${SIGNING_KEYS_KEY} vanished while it was being created`);
    return this.open(winner);
  }

  async read(): Promise<KeyFile | undefined> {
    const raw = await this.redis.get(SIGNING_KEYS_KEY);
    return raw === null ? undefined : this.open(raw);
  }

  async rotate(now: number, publishedForMs: number): Promise<{ before: KeyFile; after: KeyFile }> {
    for (let attempt = 0; attempt < ROTATION_ATTEMPTS; attempt++) {
      const raw = await this.redis.get(SIGNING_KEYS_KEY);
      const before = raw === null ? await newKeySet(now) : this.open(raw);
      const after = await rotateKeyFile(before, now, publishedForMs);
      const sealed = this.seal(after);
      const notice = JSON.stringify({ type: 'signing-keys-changed', active: activeKey(after).kid });
      const replaced = await this.redis.eval(
        REPLACE_IF_UNCHANGED,
        1,
        SIGNING_KEYS_KEY,
        raw ?? '',
        sealed,
        TTL_SECONDS,
        SIGNING_KEYS_CHANNEL,
        notice,
        REVOCATION_CHANNEL,
        JSON.stringify(KEYS_CHANGED),
      );
      if (replaced === 1) {
        this.lastRaw = sealed;
        return { before, after };
      }
    }
    throw new Error('the signing keys kept changing during the rotation (another rotation?); try again');
  }

  watch(watcher: KeySetWatcher): void {
    const subscriber = this.redis.duplicate({
      // Resubscribing is ours to do, so a re-read follows every (re)subscription.
      autoResubscribe: false,
      enableOfflineQueue: false,
    });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => {
      subscriber.subscribe(SIGNING_KEYS_CHANNEL).then(
        () => this.reread(watcher),
        () => subscriber.disconnect(true),
      );
    });
    subscriber.on('message', () => void this.reread(watcher));
    this.recheck = setInterval(() => void this.reread(watcher), this.recheckMs);
    this.recheck.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.recheck);
    await Promise.all([this.subscriber, this.redis].map((redis) => redis && closeRedis(redis)));
  }

  /** Renews the set's lifetime; tells the watcher when it changed; puts it back when Redis lost it. */
  private async reread(watcher: KeySetWatcher): Promise<void> {
    let raw: string | null;
    try {
      raw = await this.redis.getex(SIGNING_KEYS_KEY, 'EX', TTL_SECONDS);
      if (raw === null) {
        // Flushed, or a Redis without persistence restarted: the set this instance signs with goes back.
        if (this.lastRaw) await this.redis.set(SIGNING_KEYS_KEY, this.lastRaw, 'EX', TTL_SECONDS, 'NX');
        return;
      }
    } catch {
      return; // Redis is down: the keys in memory keep signing, and the next re-read tries again.
    }
    if (raw === this.lastRaw) return;
    try {
      const set = this.open(raw);
      watcher.changed(set);
    } catch (error) {
      watcher.failed(error as Error);
    }
  }

  /** Waits out a Redis that is still starting (boot order), then answers or fails with what went wrong. */
  private async untilAnswered<T>(command: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + BOOT_WAIT_MS;
    for (;;) {
      try {
        return await command();
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `the signing keys in Redis (STORE_URL) cannot be read: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        }
        await sleep(500);
      }
    }
  }

  private seal(set: KeyFile): string {
    const keys: SealedKey[] = set.keys.map(({ privateKeyPem, ...key }) => ({
      ...key,
      sealedPrivateKey: this.cipher.encrypt(privateKeyPem, `signing-key:${key.kid}`),
    }));
    return JSON.stringify({ keys });
  }

  private open(raw: string): KeyFile {
    let keys: SealedKey[];
    try {
      keys = (JSON.parse(raw) as { keys: SealedKey[] }).keys;
      if (!Array.isArray(keys) || keys.length === 0) throw new Error('no keys');
    } catch (error) {
      throw new Error(`${SIGNING_KEYS_KEY} in Redis is malformed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const opened = keys.map(({ sealedPrivateKey, ...key }) => {
      const privateKeyPem = this.cipher.decrypt(sealedPrivateKey, `signing-key:${key.kid}`);
      if (privateKeyPem === undefined) {
        throw new Error(
          `AUTHZ_KEYS_ENCRYPTION_KEY does not open the signing keys kept in Redis (${SIGNING_KEYS_KEY}): ` +
            'every authz instance and the admin CLI need the same value',
        );
      }
      return { ...key, privateKeyPem };
    });
    this.lastRaw = raw;
    return { keys: opened };
  }
}
