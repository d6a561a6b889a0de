import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { AUDIT_STREAM_KEY, createAuditSink } from './audit-sinks';

describe('the Redis audit sink', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 30_000);
  afterAll(() => redis?.close());

  it('appends each line to one stream, trimmed to about its length', async () => {
    const failures: Error[] = [];
    const sink = createAuditSink({ kind: 'redis', url: redis.url, maxLen: 1000 }, (error) =>
      failures.push(error),
    );
    for (let n = 0; n < 1500; n++) sink.write(`${JSON.stringify({ type: 'token.issued', n })}\n`);
    const reader = new Redis(redis.url);
    try {
      const deadline = Date.now() + 5000;
      let last: [string, string[]][] = [];
      while (Date.now() < deadline) {
        last = await reader.xrevrange(AUDIT_STREAM_KEY, '+', '-', 'COUNT', 1);
        if (last.length > 0 && last[0][1][1].includes('"n":1499')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(last[0][1]).toEqual(['event', JSON.stringify({ type: 'token.issued', n: 1499 })]);
      // MAXLEN ~ trims whole nodes: about 1000 kept, never all 1500.
      const length = await reader.xlen(AUDIT_STREAM_KEY);
      expect(length).toBeGreaterThanOrEqual(1000);
      expect(length).toBeLessThan(1500);
      expect(failures).toEqual([]);
    } finally {
      reader.disconnect();
      await sink.close();
    }
  });
});
