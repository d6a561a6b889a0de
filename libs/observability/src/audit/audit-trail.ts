import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { currentRequestId } from '../http/request-scope';
import { METRICS } from '../metrics/metric-catalogue';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { currentTraceId } from '../tracing/spans';
import type { AuditSettings } from '../observability.settings';
import type { AuditEvent, AuditRecord } from './audit-event';
import { createAuditSink, type AuditSink } from './audit-sinks';
import { redactArguments } from './redact-arguments';

export const AUDIT_SETTINGS = Symbol('AUDIT_SETTINGS');
export const OBSERVED_APP = Symbol('OBSERVED_APP');

const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * THE audit trail of an app: every event is stamped (time, app, request id, trace id), written as one JSON line
 * to the configured sink, kept in a bounded ring for in-process readers (`audit://recent`) and handed to
 * subscribers (metrics derived from events). Recording never throws and never waits: a request is never slowed
 * or failed by its audit line; a sink's failures are counted and logged once a minute.
 */
@Injectable()
export class AuditTrail implements OnApplicationShutdown {
  private readonly logger = new Logger('AuditTrail');
  private readonly sink: AuditSink;
  private readonly ring: AuditRecord[] = [];
  private next = 0;
  private readonly listeners = new Set<(record: AuditRecord) => void>();
  private readonly events: Counter<'type'>;
  private readonly failures: Counter<'sink'>;
  private failuresUnlogged = 0;
  private lastFailureLog = 0;

  constructor(
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
    @Inject(OBSERVED_APP) private readonly app: string,
    metrics: MetricsRegistry,
  ) {
    this.events = metrics.counter(METRICS.auditEvents);
    this.failures = metrics.counter(METRICS.auditWriteFailures);
    this.sink = createAuditSink(settings.sink, (error) => this.failed(error));
  }

  record(event: AuditEvent): void {
    const record = this.stamp(event);
    this.events.inc({ type: record.type });
    this.sink.write(`${JSON.stringify(record)}\n`);
    this.remember(record);
    for (const listener of this.listeners) listener(record);
  }

  /** Newest first, at most `limit` of the kept events that `accept` takes. */
  recent(accept: (record: AuditRecord) => boolean, limit = 100): AuditRecord[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)].reverse();
    const found: AuditRecord[] = [];
    for (const record of ordered) {
      if (found.length >= limit) break;
      if (accept(record)) found.push(record);
    }
    return found;
  }

  /** Hears every recorded event; returns the unsubscribe. */
  subscribe(listener: (record: AuditRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sink.close();
  }

  private stamp(event: AuditEvent): AuditRecord {
    const record = { time: new Date().toISOString(), app: this.app, ...event } as AuditRecord;
    const requestId = currentRequestId();
    const traceId = currentTraceId();
    if (requestId !== undefined) record.request_id = requestId;
    if (traceId !== undefined) record.trace_id = traceId;
    if ('arguments' in record) {
      // The one place arguments are admitted: only when configured, and then through the documented rule.
      if (this.settings.includeArguments && record.arguments !== undefined) {
        record.arguments = redactArguments(record.arguments);
      } else {
        delete record.arguments;
      }
    }
    return record;
  }

  private remember(record: AuditRecord): void {
    const size = this.settings.recentSize;
    if (size === 0) return;
    if (this.ring.length < size) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % size;
  }

  private failed(error: Error): void {
    this.failures.inc({ sink: this.sink.kind });
    this.failuresUnlogged += 1;
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLog = now;
    this.logger.error(
      `audit events not written to ${this.sink.kind} (${this.failuresUnlogged} since the last report): ${error.message}`,
    );
    this.failuresUnlogged = 0;
  }
}
