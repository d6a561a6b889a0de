import { Redis } from 'ioredis';
import type { AuditSinkSettings } from '../observability.settings';
import { stdoutLines } from '../stdout/stdout-lines';
import { FileAuditSink } from './file-audit.sink';

/** Where audit lines go. `write` never throws: a failure is reported to the `onFailure` the sink was built with. */
export interface AuditSink {
  readonly kind: AuditSinkSettings['kind'];
  /** One JSON line, newline included. */
  write(line: string): void;
  close(): Promise<void>;
}

export type FailureReporter = (error: Error) => void;

/** The redis stream every app of a cluster appends to; each entry's `event` field is the JSON line. */
export const AUDIT_STREAM_KEY = 'audit:events';

/** Writes never wait for Redis beyond this many pending appends; beyond it events are counted as failures. */
const MAX_PENDING = 10_000;

/** stdout, beside the logs (one batched writer): always JSON, one line per event, whatever LOG_FORMAT says. */
class StdoutAuditSink implements AuditSink {
  readonly kind = 'stdout';
  private readonly out = stdoutLines();
  write(line: string): void {
    this.out.write(line);
  }
  async close(): Promise<void> {}
}

/** A command-line tool's stdout channel: its stdout is its answer, so the audit lines go beside it. */
class StderrAuditSink implements AuditSink {
  readonly kind = 'stderr';
  write(line: string): void {
    process.stderr.write(line);
  }
  async close(): Promise<void> {}
}

class NoAuditSink implements AuditSink {
  readonly kind = 'off';
  write(): void {}
  async close(): Promise<void> {}
}

/**
 * XADD to a Redis stream trimmed to about `maxLen` entries (MAXLEN ~: whole nodes are dropped, cheaply). While
 * Redis is away ioredis queues the appends and sends them on reconnect, up to MAX_PENDING of them.
 */
class RedisAuditSink implements AuditSink {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private pending = 0;

  constructor(
    url: string,
    private readonly maxLen: number,
    private readonly onFailure: FailureReporter,
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    this.redis.on('error', () => undefined); // each lost event is reported by its own append
  }

  write(line: string): void {
    if (this.pending >= MAX_PENDING) {
      this.onFailure(new Error(`Redis is not taking audit events (${MAX_PENDING} pending)`));
      return;
    }
    this.pending += 1;
    this.redis
      .xadd(AUDIT_STREAM_KEY, 'MAXLEN', '~', this.maxLen, '*', 'event', line.trimEnd())
      .catch((error: Error) => this.onFailure(error))
      .finally(() => (this.pending -= 1));
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

export function createAuditSink(settings: AuditSinkSettings, onFailure: FailureReporter): AuditSink {
  switch (settings.kind) {
    case 'stdout':
      return new StdoutAuditSink();
    case 'stderr':
      return new StderrAuditSink();
    case 'file':
      return new FileAuditSink(settings.path, settings.maxBytes, settings.keep, onFailure);
    case 'redis':
      return new RedisAuditSink(settings.url, settings.maxLen, onFailure);
    case 'off':
      return new NoAuditSink();
  }
}
