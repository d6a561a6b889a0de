import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** Answers with what it received, so a test can see exactly what the gateway forwarded. */
export const echo =
  (name: string): UpstreamHandler =>
  (_req, res, seen) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ upstream: name, ...seen }));
  };

/** A small real HTTP server on an ephemeral loopback port that records every request it gets. */
export class TestUpstream {
  readonly seen: SeenRequest[] = [];
  /** TCP connections accepted, to tell keep-alive reuse from a connection per request. */
  connections = 0;
  handler: UpstreamHandler;
  private server?: Server;
  private boundPort = 0;

  constructor(readonly name: string) {
    this.handler = echo(name);
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Listens on a fresh port, or again on the previous one after `stop()`. */
  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const seen = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.seen.push(seen);
        if (req.url === '/healthz') {
          res.end('{"status":"ok"}');
          return;
        }
        this.handler(req, res, seen);
      });
    });
    server.on('connection', () => this.connections++);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and cuts every open connection, like a crashed process. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  proxied(): SeenRequest[] {
    return this.seen.filter((request) => request.url !== '/healthz');
  }

  /** Forgets what was seen and goes back to echoing. */
  reset(): void {
    this.seen.length = 0;
    this.connections = 0;
    this.handler = echo(this.name);
  }
}
