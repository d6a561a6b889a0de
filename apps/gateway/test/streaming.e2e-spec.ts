import { request, type Server } from 'node:http';
import { startGateway, type GatewayUnderTest } from './support/gateway-harness';
import { openStream, sleep, waitFor } from './support/sse';

const sseHeaders = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' };

describe('gateway streaming', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    // A short idle timeout and response timeout: neither may cut a stream whose headers have arrived.
    gw = await startGateway({ GATEWAY_UPSTREAM_IDLE_MS: '150', GATEWAY_UPSTREAM_TIMEOUT_MS: '300' });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.mcp.reset());

  it('delivers SSE events as they come, the first before the upstream has sent the last', async () => {
    let lastSentAt = Number.POSITIVE_INFINITY;
    gw.mcp.handler = (_req, res) => {
      res.writeHead(200, sseHeaders);
      void (async () => {
        for (let n = 1; n <= 3; n++) {
          if (n === 3) lastSentAt = Date.now();
          res.write(`id: ${n}\nevent: message\ndata: {"n":${n}}\n\n`);
          if (n < 3) await sleep(250);
        }
        res.end();
      })();
    };

    const stream = await openStream(gw.port, '/mcp');
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toBe('text/event-stream');
    expect(stream.res.headers['x-accel-buffering']).toBe('no');
    await stream.ended;

    const text = stream.chunks.map((chunk) => chunk.text).join('');
    expect(text.match(/data: \{"n":\d\}/g)).toEqual(['data: {"n":1}', 'data: {"n":2}', 'data: {"n":3}']);
    const firstEvent = stream.chunks.find((chunk) => chunk.text.includes('"n":1'))!;
    expect(firstEvent.at).toBeLessThan(lastSentAt);
    expect(stream.chunks.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps a stream open across pauses longer than the idle and response timeouts', async () => {
    gw.mcp.handler = (_req, res) => {
      res.writeHead(200, sseHeaders).flushHeaders();
      void (async () => {
        await sleep(600);
        res.write('data: one\n\n');
        await sleep(600);
        res.end('data: two\n\n');
      })();
    };
    const stream = await openStream(gw.port, '/mcp');
    await stream.ended;
    expect(stream.res.complete).toBe(true);
    expect(stream.chunks.map((chunk) => chunk.text).join('')).toBe('data: one\n\ndata: two\n\n');
  });

  it('aborts the upstream request when the client disconnects', async () => {
    let upstreamClosed = false;
    gw.mcp.handler = (_req, res) => {
      res.writeHead(200, sseHeaders);
      const tick = setInterval(() => res.write('data: tick\n\n'), 50);
      res.on('close', () => {
        clearInterval(tick);
        upstreamClosed = true;
      });
    };
    const stream = await openStream(gw.port, '/mcp');
    await waitFor(() => stream.chunks.length > 0);
    stream.req.destroy();
    await waitFor(() => upstreamClosed);
  });

  it('aborts the upstream request when the client leaves before any response', async () => {
    const patient = await startGateway({ GATEWAY_UPSTREAM_TIMEOUT_MS: '60000' });
    let upstreamClosed = false;
    patient.mcp.handler = (_req, res) => {
      res.on('close', () => (upstreamClosed = true));
    };
    try {
      const req = request({ host: '127.0.0.1', port: patient.port, path: '/mcp', agent: false });
      req.on('error', () => undefined);
      req.end();
      await waitFor(() => patient.mcp.proxied().length === 1);
      req.destroy();
      await waitFor(() => upstreamClosed);
    } finally {
      await patient.close();
    }
  });

  it('ends open streams when the gateway shuts down and its connections are cut', async () => {
    const local = await startGateway();
    let upstreamClosed = false;
    local.mcp.handler = (_req, res) => {
      res.writeHead(200, sseHeaders);
      res.write('data: hello\n\n');
      res.on('close', () => (upstreamClosed = true));
    };
    try {
      const stream = await openStream(local.port, '/mcp');
      await waitFor(() => stream.chunks.length > 0);
      // What runMain does on SIGTERM: close, and cut what is still open once the grace period is over.
      const server = local.app.getHttpServer() as Server;
      const closing = local.app.close();
      setTimeout(() => server.closeAllConnections(), 100);
      await closing;
      await stream.ended;
      await waitFor(() => upstreamClosed);
    } finally {
      await Promise.all([local.authz.stop(), local.mcp.stop()]);
    }
  });
});
