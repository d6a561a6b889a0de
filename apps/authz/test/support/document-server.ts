import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What one path answers; `handle` overrides everything else for odd behaviour (slow, cut off, redirect). */
export interface Served {
  body?: unknown;
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
  handle?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * A client's own web server, as a test plays it: serves metadata documents and JWKS on 127.0.0.1 (plain http, or
 * https with a test certificate), counts the fetches per path, and lets a test change any answer between requests.
 */
export class DocumentServer {
  readonly hits = new Map<string, number>();
  private readonly routes = new Map<string, Served>();
  private server!: Server;
  private port = 0;

  constructor(private readonly tls?: { key: string; cert: string }) {}

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.answer(req, res);
    this.server = this.tls ? createHttpsServer(this.tls, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The URL of a path, on the host name given (`127.0.0.1` or `localhost`). */
  url(path: string, host = '127.0.0.1'): string {
    return `${this.tls ? 'https' : 'http'}://${host}:${this.port}${path}`;
  }

  serve(path: string, served: Served): void {
    this.routes.set(path, served);
  }

  /** Serves `document` as JSON at `path` (with its client_id set to the path's URL unless given). */
  serveDocument(
    path: string,
    document: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): string {
    const url = this.url(path);
    this.serve(path, { body: { client_id: url, ...document }, headers });
    return url;
  }

  fetchesOf(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const served = this.routes.get(path);
    if (!served) {
      res.writeHead(404).end();
      return;
    }
    const respond = () => {
      if (served.handle) {
        served.handle(req, res);
        return;
      }
      const body = typeof served.body === 'string' ? served.body : JSON.stringify(served.body);
      res.writeHead(served.status ?? 200, { 'content-type': 'application/json', ...served.headers });
      res.end(body);
    };
    if (served.delayMs) setTimeout(respond, served.delayMs);
    else respond();
  }
}

export async function startDocumentServer(tls?: { key: string; cert: string }): Promise<DocumentServer> {
  return new DocumentServer(tls).start();
}
