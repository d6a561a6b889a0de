import { createServer, type Server } from 'node:http';
import type { MetricsRegistry } from './metrics.registry';

/**
 * A small listener of its own that answers GET /metrics and nothing else: the gateway's admin listener, kept off
 * its public port (bound to loopback by default). No Express, no logging: Prometheus scrapes it every few seconds.
 */
export function createMetricsServer(metrics: MetricsRegistry): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) =>
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
}
