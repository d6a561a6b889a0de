import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@app/oauth-store/testing';
import { runOnce } from './support/child';

export interface StoreSize {
  live: number;
  fillSeconds: number;
  /** Median microseconds per operation, one operation at a time. */
  medianUs: Record<string, number>;
}

export type StoreResult = Record<'memory' | 'sqlite' | 'redis', StoreSize[]>;

/**
 * The store's hot operations (support/store-ops.run.ts) at each of `sizes` live entries, in every backend: a
 * real redis-server (no persistence, as the tests run it), a SQLite file in a temporary folder, and memory.
 */
export async function runStore(sizes: number[]): Promise<StoreResult> {
  const result = {} as StoreResult;
  const env = { BENCH_SIZES: sizes.join(',') };
  const run = async (backend: keyof StoreResult, extra: Record<string, string>) => {
    const answer = await runOnce<{ sizes: StoreSize[] }>('support/store-ops.run.ts', {
      ...env,
      ...extra,
      BENCH_STORE: backend,
    });
    result[backend] = answer.sizes;
    console.log(`  ${backend}: ${JSON.stringify(answer.sizes)}`);
  };
  await run('memory', {});
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    await run('sqlite', { BENCH_STORE_FILE: join(dir, 'store.sqlite') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const redis = await startRedisServer();
  try {
    await run('redis', { BENCH_STORE_URL: redis.url });
  } finally {
    await redis.close();
  }
  return result;
}
