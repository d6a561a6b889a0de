import type { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { METRICS, type MetricsRegistry } from '@app/observability';

/**
 * The throttler's storage (Redis in cluster mode, else the throttler's own in-memory one), counting every
 * request it answers as blocked: exactly the requests ThrottlerGuard refuses with 429.
 */
export function countingRefusals(
  shared: ThrottlerStorage | undefined,
  metrics: MetricsRegistry,
): ThrottlerStorage & OnApplicationShutdown {
  const refusals = metrics.counter(METRICS.rateLimitRefusals);
  // A storage made here is this wrapper's to stop; the shared one is a provider Nest stops itself.
  const own = shared ? undefined : new ThrottlerStorageService();
  const storage = shared ?? own!;
  return {
    async increment(key, ttl, limit, blockDuration, throttlerName) {
      const record = await storage.increment(key, ttl, limit, blockDuration, throttlerName);
      if (record.isBlocked) refusals.inc({ throttler: throttlerName });
      return record;
    },
    onApplicationShutdown() {
      own?.onApplicationShutdown();
    },
  };
}
