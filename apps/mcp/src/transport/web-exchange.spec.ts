import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpRequest } from './mcp-request';
import { webRequestOf, writeWebResponse } from './web-exchange';

/** A loopback server answering each request with what `answer` makes of it, through writeWebResponse. */
async function serve(
  answer: (req: McpRequest, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => void answer(req as McpRequest, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closedOf = (res: ServerResponse) => new Promise<void>((resolve) => res.once('close', () => resolve()));

/** The raw head of an answer: status line and headers as sent, to see the framing. */
function rawHead(
  url: string,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('web-exchange', () => {
  let server: Server | undefined;
  afterEach(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

  it('writes a JSON answer whole, with its Content-Length and headers, never chunked', async () => {
    const json = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { ok: true } });
    ({ server } = await serve((_req, res) =>
      writeWebResponse(
        res,
        new Response(json, { status: 200, headers: { 'content-type': 'application/json', 'x-extra': 'y' } }),
        closedOf(res),
      ),
    ));
    const answer = await rawHead(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(answer.body).toBe(json);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(json)));
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.headers['x-extra']).toBe('y');
  });

  it('answers an empty body (202) with Content-Length 0', async () => {
    ({ server } = await serve((_req, res) =>
      writeWebResponse(res, new Response(null, { status: 202 }), closedOf(res)),
    ));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(response.status).toBe(202);
    expect(response.headers.get('content-length')).toBe('0');
  });

  it('streams an event stream as it comes, and ends its side once the client leaves', async () => {
    let ended!: () => void;
    const writerEnded = new Promise<void>((resolve) => (ended = resolve));
    let feed: NodeJS.Timeout | undefined;
    let sent = 0;
    let url: string;
    ({ server, url } = await serve(async (_req, res) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          feed = setInterval(() => controller.enqueue(new TextEncoder().encode(`data: ${++sent}\n\n`)), 5);
        },
        cancel: () => clearInterval(feed),
      });
      const headers = { 'content-type': 'text/event-stream' };
      await writeWebResponse(res, new Response(body, { headers }), closedOf(res));
      ended();
    }));
    const abort = new AbortController();
    const response = await fetch(`${url}/`, { signal: abort.signal });
    expect(response.headers.get('content-length')).toBeNull();
    const { value } = await response.body!.getReader().read();
    expect(new TextDecoder().decode(value)).toMatch(/^data: 1\n\n/);
    abort.abort();
    await writerEnded;
    clearInterval(feed);
    expect(sent).toBeGreaterThanOrEqual(1);
  });

  it('builds the web request from the Node one: method, URL on the Host, every header, no body', () => {
    const req = {
      method: 'POST',
      url: '/mcp?x=1',
      headers: {
        host: 'localhost:3002',
        'mcp-method': 'tools/call',
        'x-list': ['a', 'b'],
        accept: 'application/json',
      },
    } as unknown as McpRequest;
    const request = webRequestOf(req, new AbortController().signal);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://localhost:3002/mcp?x=1');
    expect(request.headers.get('mcp-method')).toBe('tools/call');
    expect(request.headers.get('x-list')).toBe('a, b');
    expect(request.body).toBeNull();
  });
});
