import type { Counter, Histogram } from 'prom-client';
import { METRICS, MetricsRegistry, UPSTREAM_ERRORS } from '@app/observability';

export type UpstreamErrorType = (typeof UPSTREAM_ERRORS)[number];

/** The metrics of one upstream instance, their labels bound once at boot. */
export interface UpstreamMetrics {
  /** Response headers arrived, `ms` after the request was sent. */
  responded(status: number, ms: number): void;
  failed(type: UpstreamErrorType): void;
}

/**
 * Latency (to response headers) and failures per upstream instance, labelled by the upstream's name and the
 * instance's address and port (OpenTelemetry `server.address`, `server.port`).
 */
export function upstreamMetrics(metrics: MetricsRegistry, name: string, url: URL): UpstreamMetrics {
  const instance = {
    upstream: name,
    server_address: url.hostname.replace(/^\[|\]$/g, ''),
    server_port: url.port || (url.protocol === 'https:' ? '443' : '80'),
  };
  const duration: Histogram<string> = metrics.histogram(METRICS.upstreamDuration);
  const errors: Counter<string> = metrics.counter(METRICS.upstreamErrors);
  for (const type of UPSTREAM_ERRORS) errors.inc({ ...instance, error_type: type }, 0);
  return {
    responded: (status, ms) =>
      duration.observe({ ...instance, http_response_status_code: String(status) }, ms / 1000),
    failed: (type) => errors.inc({ ...instance, error_type: type }),
  };
}
