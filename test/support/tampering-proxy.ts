import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Changes an answer on its way back, as a misconfigured proxy in front of the gateway would. */
export type Tamper = (path: string, method: string, answer: ProxiedAnswer) => ProxiedAnswer;

/**
 * A reverse proxy in front of the gateway that keeps the Host clients use (so the gateway builds its URLs on the
 * proxy's address) and lets a test rewrite any answer: a stripped header, a skewed clock, a broken document.
 */
export class TamperingProxy {
  tamper: Tamper = (_path, _method, answer) => answer;
  private server!: Server;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const upstream = request(
          {
            host: '127.0.0.1',
            port: this.upstreamPort,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => body.push(chunk));
            answer.on('end', () => {
              const headers = { ...answer.headers };
              delete headers['content-length'];
              delete headers['transfer-encoding'];
              const changed = this.tamper(new URL(req.url ?? '/', 'http://x').pathname, req.method ?? 'GET', {
                status: answer.statusCode ?? 502,
                headers,
                body: Buffer.concat(body),
              });
              res.writeHead(changed.status, {
                ...changed.headers,
                'content-length': String(changed.body.length),
              });
              res.end(changed.body);
            });
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  mcpUrl(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
