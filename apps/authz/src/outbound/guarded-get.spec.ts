import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { guardedGet, type OutboundPolicy } from './guarded-get';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('guardedGet', () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  let hits: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    hits = 0;
    handler = (_req, res) => res.setHeader('content-type', 'application/json').end('{"ok":true}');
  });

  const loopbackAllowed: OutboundPolicy = { allowLoopback: true, timeoutMs: 1000 };
  const limits = { maxBytes: 64, accept: 'application/json' };
  const get = (path = '/doc', policy = loopbackAllowed) =>
    guardedGet(`http://127.0.0.1:${port}${path}`, policy, limits);

  it('refuses loopback and other private addresses when the test switch is off, without connecting', async () => {
    const off: OutboundPolicy = { allowLoopback: false, timeoutMs: 1000 };
    await expect(guardedGet(`https://127.0.0.1:${port}/doc`, off, limits)).rejects.toThrow(/non-public/);
    await expect(guardedGet(`https://localhost:${port}/doc`, off, limits)).rejects.toThrow(/non-public/);
    await expect(guardedGet('https://169.254.169.254/latest/meta-data', off, limits)).rejects.toThrow(
      /non-public/,
    );
    await expect(guardedGet('https://[::ffff:10.0.0.1]/x', off, limits)).rejects.toThrow(/non-public/);
    await expect(guardedGet(`http://127.0.0.1:${port}/doc`, off, limits)).rejects.toThrow(/only https/);
    expect(hits).toBe(0);
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 as const },
      { address: '10.0.0.7', family: 4 as const },
    ];
    await expect(
      guardedGet('https://mixed.example/doc', { allowLoopback: false, timeoutMs: 1000, resolve }, limits),
    ).rejects.toThrow(/non-public address \(10\.0\.0\.7\)/);
  });

  it('connects to the vetted address: the host name is resolved once, never again by the connection', async () => {
    let lookups = 0;
    // A name that exists nowhere: only the pinned address can take the request to our server.
    const resolve = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 as const }];
    };
    handler = (req, res) => res.end(JSON.stringify({ host: req.headers.host }));
    const result = await guardedGet(
      `http://rebinding.invalid:${port}/doc`,
      { ...loopbackAllowed, resolve },
      limits,
    );
    expect(lookups).toBe(1);
    expect(JSON.parse(result.body.toString())).toEqual({ host: `rebinding.invalid:${port}` });
  });

  it('refuses plain http to a public address even with the switch on', async () => {
    await expect(guardedGet('http://8.8.8.8/doc', loopbackAllowed, limits)).rejects.toThrow(
      /loopback addresses only/,
    );
  });

  it('fetches with identity encoding and a JSON accept header', async () => {
    handler = (req, res) => res.end(JSON.stringify([req.headers['accept-encoding'], req.headers.accept]));
    const result = await get();
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body.toString())).toEqual(['identity', 'application/json']);
  });

  it('does not follow redirects', async () => {
    handler = (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/other` }).end();
    await expect(get()).rejects.toThrow(/redirects are not followed \(HTTP 302\)/);
    expect(hits).toBe(1);
  });

  it('stops reading at the size cap, announced or streamed', async () => {
    handler = (_req, res) => res.setHeader('content-length', '65').end('x'.repeat(65));
    await expect(get()).rejects.toThrow(/larger than 64 bytes/);
    handler = (_req, res) => {
      res.write('x'.repeat(40));
      setTimeout(() => res.end('y'.repeat(40)), 10);
    };
    await expect(get()).rejects.toThrow(/larger than 64 bytes/);
  });

  it('refuses an encoding it did not ask for', async () => {
    handler = (_req, res) => res.setHeader('content-encoding', 'gzip').end(gzipSync('{}'));
    await expect(get()).rejects.toThrow(/content-encoding gzip/);
  });

  it('gives up at the deadline, headers or body', async () => {
    handler = () => undefined;
    await expect(get('/doc', { allowLoopback: true, timeoutMs: 150 })).rejects.toThrow(/within 150 ms/);
    handler = (_req, res) => res.write('{');
    await expect(get('/doc', { allowLoopback: true, timeoutMs: 150 })).rejects.toThrow(/within 150 ms/);
  });

  it('explains unreachable hosts and non-URLs', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(guardedGet(`http://127.0.0.1:${closedPort}/`, loopbackAllowed, limits)).rejects.toThrow(
      /refused the connection/,
    );
    await expect(guardedGet('not a url', loopbackAllowed, limits)).rejects.toThrow(/absolute URL/);
    await expect(guardedGet('https://user:pw@example.com/x', loopbackAllowed, limits)).rejects.toThrow(
      /credentials/,
    );
  });
});
