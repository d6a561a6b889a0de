import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Histogram } from 'prom-client';
import { METRICS } from '../metrics/metric-catalogue';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { endServerSpan, startServerSpan } from '../tracing/spans';
import { runInRequestScope } from './request-scope';

/** RFC 9110 §9 methods; anything else is `_OTHER` (semantic conventions), so a client cannot mint label values. */
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

type DurationLabels = 'http_request_method' | 'http_route' | 'http_response_status_code';

const OBSERVER = Symbol('httpServerObserver');

/** The observer of the app serving on `server`, when that app imports ObservabilityModule. */
export function observerOf(server: Server): HttpServerObserver | undefined {
  return (server as Server & { [OBSERVER]?: HttpServerObserver })[OBSERVER];
}

/**
 * What every request of an app costs, recorded in one place (libs/runtime's request listener, ahead of both the
 * front doors and Nest): the duration histogram by method, route and status, the server span when tracing is
 * on, and the request scope audit events read their request id from. `routeOf` is asked once the response is
 * done, when Express has matched its route; it must answer a template (`/internal/grants/{grant_id}`), never a
 * raw path, so the label stays bounded; '' when nothing matched.
 */
@Injectable()
export class HttpServerObserver implements OnModuleInit {
  private readonly duration: Histogram<DurationLabels>;

  constructor(
    metrics: MetricsRegistry,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.duration = metrics.histogram(METRICS.httpServerDuration);
  }

  /** Attaches itself to the app's HTTP server, where the request listener (libs/runtime) finds it. */
  onModuleInit(): void {
    const server = this.adapterHost?.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) (server as Server & { [OBSERVER]?: HttpServerObserver })[OBSERVER] = this;
  }

  observe(req: IncomingMessage, res: ServerResponse, routeOf: () => string, run: () => void): void {
    const started = performance.now();
    const method = KNOWN_METHODS.has(req.method ?? '') ? req.method! : '_OTHER';
    let span: ReturnType<typeof startServerSpan>;
    res.once('close', () => {
      const route = routeOf();
      // A response never begun (the client left first) has no status: recorded with an empty one.
      const status = res.headersSent ? res.statusCode : 0;
      const labels = {
        http_request_method: method,
        http_route: route,
        http_response_status_code: status === 0 ? '' : String(status),
      };
      this.duration.observe(labels, (performance.now() - started) / 1000);
      if (span) endServerSpan(span, method, route, status);
    });
    runInRequestScope(req, () => {
      span = startServerSpan(req, run);
    });
  }
}
