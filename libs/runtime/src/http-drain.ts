import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { writeJson } from './write-json';

/** How often connections that went idle during a drain are closed (they would otherwise live until keep-alive ends). */
const IDLE_SWEEP_MS = 50;

/**
 * Responses in flight on `server`, and on mirrors that copy its listeners afterwards. Install after the front
 * doors are mounted (they take over the one request listener).
 */
export function trackResponses(server: Server): Set<ServerResponse> {
  const active = new Set<ServerResponse>();
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    res.once('close', () => active.delete(res));
  });
  return active;
}

/**
 * A request arriving on a kept-alive connection after the signal: Node would still serve it (closing the
 * listener only stops new connections), so it is told to go elsewhere, and the connection ends with it.
 */
function refuse(_req: IncomingMessage, res: ServerResponse): void {
  const body = {
    error: 'temporarily_unavailable',
    error_description: 'The server is shutting down; retry shortly.',
  };
  writeJson(res, 503, body, { Connection: 'close', 'Retry-After': '1', 'Cache-Control': 'no-store' });
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
}

/**
 * Stops taking requests: the listeners close, requests on kept-alive connections get 503 (RFC 9110 §15.6.4)
 * with `Connection: close`, responses in flight that have not started yet say `Connection: close` too, and every
 * connection is closed as soon as it is idle. In-flight requests carry on. Resolves, via `closed()`, once no
 * connection is left (the caller cuts what remains after its grace period).
 */
export function stopAccepting(
  servers: readonly Server[],
  active: ReadonlySet<ServerResponse>,
): { closed(): Promise<void> } {
  for (const server of servers) {
    server.removeAllListeners('request');
    server.removeAllListeners('checkContinue');
    server.on('request', refuse);
    server.on('checkContinue', refuse);
    if (server.listening) server.close();
    server.closeIdleConnections();
  }
  for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
  const sweep = setInterval(() => servers.forEach((server) => server.closeIdleConnections()), IDLE_SWEEP_MS);
  sweep.unref();
  return {
    async closed() {
      for (;;) {
        const counts = await Promise.all(servers.map(openConnections));
        if (counts.every((count) => count === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, IDLE_SWEEP_MS));
      }
      clearInterval(sweep);
    },
  };
}
