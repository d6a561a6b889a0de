interface Entry<T> {
  value: T;
  expiresAt: number;
  consumedAt?: number;
}

export interface TtlMapOptions {
  /** How often expired entries are swept; reads ignore expired entries regardless. */
  purgeIntervalMs?: number;
  now?: () => number;
}

/**
 * A Map whose entries vanish at their own `expiresAt`. Reads check expiry, and a timer (unref'd, so it never
 * keeps a process alive) sweeps the rest so memory stays bounded. Single-threaded JS makes `consume` atomic.
 */
export class TtlMap<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(options: TtlMapOptions = {}) {
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.purge(), options.purgeIntervalMs ?? 60_000);
    this.timer.unref();
  }

  set(key: string, value: T, expiresAt: number): void {
    if (expiresAt <= this.now()) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { value, expiresAt });
  }

  private live(key: string): Entry<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  get(key: string): T | undefined {
    return this.live(key)?.value;
  }

  isConsumed(key: string): boolean {
    return this.live(key)?.consumedAt !== undefined;
  }

  /** Replaces the value of a live entry, keeping its expiry and consumed mark. */
  update(key: string, mutate: (value: T) => T): T | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    entry.value = mutate(entry.value);
    return entry.value;
  }

  consume(key: string): { outcome: 'consumed' | 'already_consumed'; record: T } | { outcome: 'not_found' } {
    const entry = this.live(key);
    if (!entry) return { outcome: 'not_found' };
    if (entry.consumedAt !== undefined) return { outcome: 'already_consumed', record: entry.value };
    entry.consumedAt = this.now();
    return { outcome: 'consumed', record: entry.value };
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  purge(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
