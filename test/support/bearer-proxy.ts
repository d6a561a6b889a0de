import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** `http://127.0.0.1:<port>`: the proxy's own origin; paths are forwarded unchanged. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * A client that cannot log in (the conformance suite's `server` mode) reaches the gateway through this loopback
 * proxy, which adds `Authorization: Bearer <token>` and nothing else a browser-less client would not send: the
 * Host becomes the gateway's (as any forwarding client sets it), every other header and both bodies stream
 * through untouched, so SSE arrives event by event and Origin/Mcp-* headers reach the gateway as sent.
 */
export async function startBearerProxy(target: string, token: () => string): Promise<BearerProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
    headers.authorization = `Bearer ${token()}`;
    const forwarded = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    res.on('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
