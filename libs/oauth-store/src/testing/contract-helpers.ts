import type { StoreLimits } from '../store-options';

export const SHORT_TTL_MS = 60;
export const later = (ms = 60_000) => Date.now() + ms;
/*
 * For a record that must outlive a few writes before it expires (an extension, a use that pushes it out): durable
 * backends wait for their writes to reach the disk, which on a busy machine takes longer than SHORT_TTL_MS.
 */
export const EXTENDABLE_TTL_MS = 500;

/** Limits every contract repository gets unless a test asks for others. */
export const CONTRACT_LIMITS: StoreLimits = { maxClients: 1_000 };

/**
 * A fresh repository, built with the given limits; `dispose` closes connections or timers the backend opened.
 * Backends that share one database or server (SQLite, Redis) must isolate each call (own file, own key prefix).
 */
export type RepositoryFactory<T> = (
  limits: StoreLimits,
) => Promise<{ repository: T; dispose?: () => Promise<void> | void }>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Sleeps until a moment past `expiresAt`. */
export const sleepPast = (expiresAt: number) => sleep(Math.max(0, expiresAt - Date.now()) + 40);

/** Sets up `use()` so each test gets its own repository from the factory and disposes it afterwards. */
export function withRepository<T>(factory: RepositoryFactory<T>): () => T {
  let current: Awaited<ReturnType<RepositoryFactory<T>>> | undefined;
  beforeEach(async () => {
    current = await factory(CONTRACT_LIMITS);
  });
  afterEach(async () => {
    await current?.dispose?.();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('repository used outside a test');
    return current.repository;
  };
}

/** A repository for one test with its own limits, disposed when `use` returns. */
export async function withLimits<T>(
  factory: RepositoryFactory<T>,
  limits: StoreLimits,
  use: (repository: T) => Promise<void>,
): Promise<void> {
  const { repository, dispose } = await factory(limits);
  try {
    await use(repository);
  } finally {
    await dispose?.();
  }
}

let counter = 0;
/** Ids unique across tests, so a shared backend (one Redis) never sees collisions. */
export const uniqueId = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

interface SingleUse<T> {
  save(record: T): Promise<void>;
  consume(id: string): Promise<{ outcome: string; record?: T }>;
}

/** The single-use rule every consumable record shares: once, exactly one of concurrent consumers, gone at expiry. */
export function itConsumesOnce<T extends { id: string; expiresAt: number }>(
  noun: string,
  repo: () => SingleUse<T>,
  make: (overrides?: Partial<T>) => T,
): void {
  it(`consumes a ${noun} once, then reports it as already consumed`, async () => {
    const saved = make();
    await repo().save(saved);
    await expect(repo().consume(saved.id)).resolves.toEqual({ outcome: 'consumed', record: saved });
    await expect(repo().consume(saved.id)).resolves.toEqual({ outcome: 'already_consumed', record: saved });
  });

  it(`lets exactly one of many concurrent consumers of a ${noun} win`, async () => {
    const saved = make();
    await repo().save(saved);
    const results = await Promise.all(Array.from({ length: 10 }, () => repo().consume(saved.id)));
    expect(results.filter((result) => result.outcome === 'consumed')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'already_consumed')).toHaveLength(9);
  });

  it(`reports an unknown or expired ${noun} as not found`, async () => {
    const saved = make({ expiresAt: Date.now() + SHORT_TTL_MS } as Partial<T>);
    await repo().save(saved);
    await expect(repo().consume(uniqueId('missing'))).resolves.toEqual({ outcome: 'not_found' });
    await sleep(SHORT_TTL_MS + 40);
    await expect(repo().consume(saved.id)).resolves.toEqual({ outcome: 'not_found' });
  });
}
