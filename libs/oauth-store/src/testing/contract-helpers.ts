export const SHORT_TTL_MS = 60;
export const later = (ms = 60_000) => Date.now() + ms;

/** A fresh repository per test; `dispose` closes connections or timers the backend opened. */
export type RepositoryFactory<T> = () => Promise<{ repository: T; dispose?: () => Promise<void> | void }>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sets up `use()` so each test gets its own repository from the factory and disposes it afterwards. */
export function withRepository<T>(factory: RepositoryFactory<T>): () => T {
  let current: { repository: T; dispose?: () => Promise<void> | void } | undefined;
  beforeEach(async () => {
    current = await factory();
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

let counter = 0;
/** Ids unique across tests, so a shared backend (one Redis) never sees collisions. */
export const uniqueId = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
