import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CounterDefinition, GaugeDefinition, HistogramDefinition } from './metric-catalogue';

/**
 * One prom-client registry per app (not prom-client's global one, so apps started side by side in one test
 * process keep apart), with the process metrics of the default collectors: CPU, memory, handles and the event
 * loop's lag (`nodejs_eventloop_lag_seconds` and its percentiles). Instruments are created on first use from
 * the catalogue and shared afterwards, so any number of services may ask for the same metric.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly instruments = new Map<string, Counter | Histogram | Gauge>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(definition: CounterDefinition<L>): Counter<L> {
    return this.instrument(definition.name, () => {
      const counter = new Counter<L>({
        name: definition.name,
        help: definition.help,
        labelNames: definition.labelNames,
        registers: [this.registry],
      });
      for (const labels of definition.initial ?? []) counter.inc(labels as Partial<Record<L, string>>, 0);
      return counter;
    }) as Counter<L>;
  }

  histogram<L extends string>(definition: HistogramDefinition<L>): Histogram<L> {
    return this.instrument(
      definition.name,
      () =>
        new Histogram<L>({
          name: definition.name,
          help: definition.help,
          labelNames: definition.labelNames,
          buckets: [...definition.buckets],
          registers: [this.registry],
        }),
    ) as Histogram<L>;
  }

  /** A gauge read at scrape time: `read` answers the current value. */
  gauge(definition: GaugeDefinition, read: () => number): Gauge {
    return this.instrument(
      definition.name,
      () =>
        new Gauge({
          name: definition.name,
          help: definition.help,
          registers: [this.registry],
          collect() {
            this.set(read());
          },
        }),
    ) as Gauge;
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private instrument(name: string, create: () => Counter | Histogram | Gauge): Counter | Histogram | Gauge {
    let instrument = this.instruments.get(name);
    if (!instrument) {
      instrument = create();
      this.instruments.set(name, instrument);
    }
    return instrument;
  }
}
