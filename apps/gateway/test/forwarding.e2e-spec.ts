import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { startGateway, type GatewayUnderTest } from './support/gateway-harness';
import { rawRequest, readResponse, type RawResponse } from './support/raw-request';

interface Echoed {
  url: string;
  body: string;
  headers: Record<string, string | undefined>;
}

/** Sends a chunked body (no Content-Length) and resolves with the response, even if the gateway cuts in early. */
function sendChunked(port: number, path: string, total: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => void readResponse(res).then(resolve, reject),
    );
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    const chunk = Buffer.alloc(512, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('gateway forwarding', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway({ GATEWAY_MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.authz.reset();
    gw.mcp.reset();
  });

  it('sets X-Forwarded-For/-Proto/-Host from the connection and ignores a client’s own', async () => {
    const res = await rawRequest(gw.port, '/.well-known/oauth-authorization-server', {
      headers: {
        host: 'localhost:3002',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '203.0.113.9',
        forwarded: 'host=evil.example',
      },
    });
    const seen = res.json<Echoed>().headers;
    expect(seen).toMatchObject({
      host: 'localhost:3002',
      'x-forwarded-host': 'localhost:3002',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(seen.forwarded).toBeUndefined();
  });

  it('refuses an HTTP/1.0 request without Host, as the public URL would be unknown', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(gw.port, '127.0.0.1', () => socket.end('GET /token HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"error":"invalid_request"');
    expect(gw.authz.seen).toEqual([]);
  });

  it('honours X-Forwarded-* from a configured trusted proxy', async () => {
    const behindProxy = await startGateway({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const res = await rawRequest(behindProxy.port, '/token', {
        headers: {
          host: 'gateway.internal:3002',
          'x-forwarded-host': 'mcp.example.com',
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.9',
        },
      });
      expect(res.json<Echoed>().headers).toMatchObject({
        host: 'gateway.internal:3002',
        'x-forwarded-host': 'mcp.example.com',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      });
    } finally {
      await behindProxy.close();
    }
  });

  it('strips hop-by-hop headers both ways', async () => {
    gw.authz.handler = (_req, res) => {
      res.setHeader('connection', 'keep-alive, x-upstream-hop');
      res.setHeader('x-upstream-hop', 'secret');
      res.setHeader('x-kept', 'yes');
      res.end('{}');
    };
    const res = await rawRequest(gw.port, '/token', {
      headers: {
        connection: 'close, x-client-hop',
        'x-client-hop': '1',
        'keep-alive': 'timeout=100',
        'proxy-authorization': 'Basic abc',
        te: 'trailers',
        upgrade: 'websocket',
        authorization: 'Bearer end-to-end',
      },
    });
    expect(res.headers['x-upstream-hop']).toBeUndefined();
    expect(res.headers['x-kept']).toBe('yes');
    const seen = gw.authz.proxied()[0].headers;
    for (const name of ['x-client-hop', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) {
      expect(seen[name]).toBeUndefined();
    }
    expect(seen.connection).not.toBe('close');
    expect(seen.authorization).toBe('Bearer end-to-end');
  });

  it('passes MCP headers, including ones a later MCP revision adds, through unchanged both ways', async () => {
    gw.mcp.handler = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('mcp-session-id', 'session-1');
      res.setHeader('mcp-future-response', 'kept');
      res.end('{}');
    };
    const mcpHeaders = {
      'mcp-session-id': 'session-1',
      'mcp-protocol-version': '2025-11-25',
      'mcp-method': 'tools/call',
      'mcp-name': 'calculate',
      'mcp-param-region': '=?base64?ZXUtd2VzdA==?=',
      'mcp-future-header': 'v2026',
    };
    const res = await rawRequest(gw.port, '/mcp', {
      method: 'POST',
      headers: { ...mcpHeaders, 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers['mcp-session-id']).toBe('session-1');
    expect(res.headers['mcp-future-response']).toBe('kept');
    expect(gw.mcp.proxied()[0].headers).toMatchObject(mcpHeaders);
    expect(gw.mcp.proxied()[0].body).toBe('{"jsonrpc":"2.0","id":1,"method":"ping"}');
  });

  it('keeps a client’s well-formed X-Request-Id, passes it upstream and returns it', async () => {
    const res = await rawRequest(gw.port, '/mcp', { headers: { 'x-request-id': 'trace-0123456789' } });
    expect(res.headers['x-request-id']).toBe('trace-0123456789');
    expect(res.json<Echoed>().headers['x-request-id']).toBe('trace-0123456789');
  });

  it('replaces a malformed X-Request-Id with a fresh one, the same upstream and in the response', async () => {
    const res = await rawRequest(gw.port, '/token', { headers: { 'x-request-id': 'bad id\twith "stuff"' } });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json<Echoed>().headers['x-request-id']).toBe(id);
    expect(res.rawHeaders.filter((name) => name.toLowerCase() === 'x-request-id')).toHaveLength(1);
  });

  /** Writes `head` on a fresh connection and collects everything the gateway sends until it closes. */
  const exchangeRaw = (head: string, waitMs = 300) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(gw.port, '127.0.0.1', () => socket.write(head));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        resolve(text);
      }, waitMs);
    });

  it('refuses two Host headers with 400 and never forwards the request (RFC 9112 §3.2)', async () => {
    const reply = await exchangeRaw(
      'GET /token HTTP/1.1\r\nHost: localhost:3002\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"error_description":"The Host header must appear exactly once"');
    expect(gw.authz.seen).toEqual([]);
  });

  it('answers an oversized Expect: 100-continue upload with 413 and no 100 Continue first', async () => {
    const reply = await exchangeRaw(
      'POST /token HTTP/1.1\r\nHost: localhost:3002\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1048577\r\nExpect: 100-continue\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).not.toContain('100 Continue');
    expect(gw.authz.seen).toEqual([]);
  });

  it('invites an acceptable Expect: 100-continue upload and forwards its body without Expect', async () => {
    const body = '{"a":1}';
    const reply = await exchangeRaw(
      'POST /token HTTP/1.1\r\nHost: localhost:3002\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n${body}`,
      1000,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    const echoed = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n{') + 4)) as Echoed;
    expect(echoed.body).toBe(body);
    expect(echoed.headers.expect).toBeUndefined();
  });

  it('generates an X-Request-Id when the client sends none', async () => {
    const res = await rawRequest(gw.port, '/token');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json<Echoed>().headers['x-request-id']).toBe(res.headers['x-request-id']);
  });

  it('refuses a declared oversized body with 413 before contacting the upstream', async () => {
    const res = await new Promise<RawResponse>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: gw.port,
          path: '/token',
          method: 'POST',
          agent: false,
          headers: { 'content-length': '1048577', 'content-type': 'application/x-www-form-urlencoded' },
        },
        (response) => void readResponse(response).then(resolve, reject),
      );
      req.on('error', reject);
      req.flushHeaders(); // headers only: the gateway must decide without reading the body
    });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('4096'),
    });
    expect(gw.authz.seen).toEqual([]);
  });

  it('refuses an oversized chunked body with 413 and never hands the upstream a complete request', async () => {
    const res = await sendChunked(gw.port, '/mcp', 64 * 1024);
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 }, id: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gw.mcp.proxied()).toEqual([]);
  });

  it('streams a chunked body under the limit through intact', async () => {
    const res = await sendChunked(gw.port, '/mcp', 4096);
    expect(res.status).toBe(200);
    expect(res.json<Echoed>().body).toBe('a'.repeat(4096));
  });
});
