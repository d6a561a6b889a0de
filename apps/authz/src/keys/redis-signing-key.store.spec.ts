import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { TokenCipher } from '../common/token-cipher';
import { activeKey, type KeyFile } from './key-file';
import { RedisSigningKeyStore, SIGNING_KEYS_CHANNEL, SIGNING_KEYS_KEY } from './redis-signing-key.store';

const LIFETIME_MS = 3_900_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
  return Date.now() - started;
}

describe('RedisSigningKeyStore (cluster mode, real redis-server)', () => {
  let server: RedisServerHandle;
  let admin: Redis;
  const key = randomBytes(32);
  const stores: RedisSigningKeyStore[] = [];
  const store = (cipherKey = key, recheckMs?: number) => {
    const created = new RedisSigningKeyStore(server.url, new TokenCipher(cipherKey), recheckMs);
    stores.push(created);
    return created;
  };
  const failures: Error[] = [];
  /** A store that loaded the set and then watches it (as SigningKeysService does), with the sets it was told about. */
  const watching = async (recheckMs?: number) => {
    const watcher = store(key, recheckMs);
    const loaded = await watcher.load();
    const seen: KeyFile[] = [];
    watcher.watch({ changed: (set) => seen.push(set), failed: (error) => failures.push(error) });
    return { watcher, seen, loaded };
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await admin.flushall();
    expect(failures.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    admin.disconnect();
    await server.close();
  });

  it('creates one key set for instances starting together, sealed, with a lifetime', async () => {
    const sets = await Promise.all(Array.from({ length: 5 }, () => store().load()));
    const kids = new Set(sets.map((set) => activeKey(set).kid));
    expect(kids.size).toBe(1);
    expect(sets[0].keys[0].privateKeyPem).toContain('PRIVATE KEY');
    const raw = (await admin.get(SIGNING_KEYS_KEY))!;
    expect(raw).toContain(activeKey(sets[0]).kid);
    expect(raw).not.toContain('PRIVATE KEY');
    expect(raw).not.toContain(sets[0].keys[0].privateKeyPem.split('\n')[1]);
    expect(await admin.ttl(SIGNING_KEYS_KEY)).toBeGreaterThan(86_400);
  });

  it('refuses to open the set with another encryption key, naming the variable', async () => {
    await store().load();
    await expect(store(randomBytes(32)).load()).rejects.toThrow(
      /AUTHZ_KEYS_ENCRYPTION_KEY does not open the signing keys/,
    );
  });

  it('rotates atomically: concurrent rotations both land, one after the other', async () => {
    const first = await store().load();
    const [a, b] = await Promise.all([
      store().rotate(Date.now(), LIFETIME_MS),
      store().rotate(Date.now(), LIFETIME_MS),
    ]);
    const final = (await store().read())!;
    expect(final.keys).toHaveLength(3);
    expect([activeKey(a.after).kid, activeKey(b.after).kid]).toContain(activeKey(final).kid);
    expect(final.keys.filter((k) => k.retiredAt === undefined)).toHaveLength(1);
    expect(final.keys.map((k) => k.kid)).toContain(activeKey(first).kid);
  });

  it('tells watching instances of a rotation at once, by a notice on its channel', async () => {
    await store().load();
    const { seen } = await watching();
    const listener = admin.duplicate();
    await listener.subscribe(SIGNING_KEYS_CHANNEL);
    const notices: string[] = [];
    listener.on('message', (_channel: string, message: string) => notices.push(message));
    const { after } = await store().rotate(Date.now(), LIFETIME_MS);
    expect(await until(() => seen.length > 0)).toBeLessThan(1_000);
    expect(activeKey(seen[0]).kid).toBe(activeKey(after).kid);
    await until(() => notices.length > 0);
    expect(JSON.parse(notices[0])).toEqual({ type: 'signing-keys-changed', active: activeKey(after).kid });
    listener.disconnect();
  });

  it('makes up for a lost notice: re-reads whenever it subscribes again', async () => {
    await store().load();
    const { seen } = await watching();
    // Its subscription is cut; the rotation's notice is published while it is not listening.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const { after } = await store().rotate(Date.now(), LIFETIME_MS);
    await until(() => seen.some((set) => activeKey(set).kid === activeKey(after).kid));
  });

  it('re-reads periodically, so a change that came with no notice at all is picked up too', async () => {
    const raw1 = (await store().load(), (await admin.get(SIGNING_KEYS_KEY))!);
    const { after } = await store().rotate(Date.now(), LIFETIME_MS);
    const raw2 = (await admin.get(SIGNING_KEYS_KEY))!;
    await admin.set(SIGNING_KEYS_KEY, raw1);
    const { seen } = await watching(300);
    await admin.set(SIGNING_KEYS_KEY, raw2); // no notice
    await until(() => seen.length > 0, 2_000);
    expect(activeKey(seen[0]).kid).toBe(activeKey(after).kid);
  });

  it('puts its set back when Redis lost it, so a flushed Redis does not split the cluster', async () => {
    const { loaded } = await watching(200);
    const raw = await admin.get(SIGNING_KEYS_KEY);
    await admin.flushall();
    await sleep(600);
    expect(await admin.get(SIGNING_KEYS_KEY)).toBe(raw);
    expect(await admin.ttl(SIGNING_KEYS_KEY)).toBeGreaterThan(86_400);
    expect(activeKey(await store().load()).kid).toBe(activeKey(loaded).kid);
  });
});
