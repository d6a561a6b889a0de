import type { SharedCache } from '../shared-cache';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
const key = () => `contract-${process.pid}-${Date.now()}-${++counter}`;

/** The SharedCache contract, run against every backend that binds one. */
export function describeSharedCacheContract(
  backend: string,
  create: () => Promise<{ cache: SharedCache; dispose(): Promise<void> }>,
): void {
  describe(`SharedCache (${backend})`, () => {
    let cache: SharedCache;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ cache, dispose } = await create());
    });
    afterAll(() => dispose());

    it('reads back what was set, replaced by a later set, and nothing for an unknown key', async () => {
      const k = key();
      expect(await cache.get(k)).toBeUndefined();
      await cache.set(k, 'one', 10_000);
      expect(await cache.get(k)).toBe('one');
      await cache.set(k, 'two', 10_000);
      expect(await cache.get(k)).toBe('two');
    });

    it('forgets an entry after its TTL', async () => {
      const k = key();
      await cache.set(k, 'v', 60);
      await pause(150);
      expect(await cache.get(k)).toBeUndefined();
    });

    it('adds a key once while it lives, and again after it expired', async () => {
      const k = key();
      expect(await cache.add(k, 'first', 100)).toBe(true);
      expect(await cache.add(k, 'second', 100)).toBe(false);
      expect(await cache.get(k)).toBe('first');
      await pause(200);
      expect(await cache.add(k, 'third', 100)).toBe(true);
    });

    it('lets exactly one of concurrent adds win', async () => {
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => cache.add(k, String(i), 10_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
