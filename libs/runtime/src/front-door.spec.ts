import { Controller, Get, Logger, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { MetricsRegistry, ObservabilityModule } from '@app/observability';
import { mountFrontDoors, type FrontDoor } from './front-door';
import { createLoggerModule } from './logger.module';
import { writeJson } from './write-json';

@Controller()
class NestRoutes {
  @Get('nest')
  nest(): { from: string } {
    new Logger('NestRoutes').warn('inside nest');
    return { from: 'nest' };
  }
}

@Module({
  imports: [
    createLoggerModule({ app: 'spec', level: 'info', nodeEnv: 'test', format: 'json' }),
    ObservabilityModule.forRoot({ app: 'spec', metricsRoute: false }),
  ],
  controllers: [NestRoutes],
})
class SpecModule {}

/** A door whose service logs through Nest's Logger after an await, as a real service would. */
function door(
  path: string,
  name: string,
  options: { accessLog?: boolean; routeOf?: (path: string) => string } = {},
): FrontDoor {
  const logger = new Logger(name);
  return {
    ...options,
    matches: (_req: IncomingMessage, candidate: string) => candidate === path,
    handle: async (_req: IncomingMessage, res: ServerResponse, matched: string) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn(`inside ${name}`);
      writeJson(res, 200, { from: name, path: matched });
    },
  };
}

/** Refuses every request and closes the connection, as a gateway does with a malformed request. */
const closing: FrontDoor = {
  matches: (_req, path) => path === '/refuse',
  handle: (_req, res) => writeJson(res, 400, { error: 'invalid_request' }, { Connection: 'close' }),
};

const handled: string[] = [];
const counting: FrontDoor = {
  matches: (_req, path) => path.startsWith('/count/'),
  handle: async (_req, res, path) => {
    handled.push(path);
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeJson(res, 200, { path });
  },
};

/** Sends `bytes` on one connection; resolves with everything read until the server closes it. */
function raw(base: string, bytes: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

const broken: FrontDoor = {
  matches: (_req, path) => path === '/broken',
  handle: () => Promise.reject(new Error('renderer bug')),
};

interface LogLine {
  msg: string;
  context?: string;
  req?: { id?: string; path?: string; headers?: Record<string, string> };
  res?: { statusCode?: number };
  err?: { message?: string };
}

describe('mountFrontDoors', () => {
  let app: INestApplication;
  let base: string;
  const lines: LogLine[] = [];
  const logged = (predicate: (line: LogLine) => boolean) => lines.filter(predicate);

  beforeAll(async () => {
    app = await NestFactory.create(SpecModule, { bufferLogs: true });
    // Every line goes through the root logger's destination: read them there instead of from stdout.
    const stream = (PinoLogger.root as unknown as Record<symbol, { write(line: string): boolean }>)[
      symbols.streamSym
    ];
    jest.spyOn(stream, 'write').mockImplementation((line: string) => lines.push(JSON.parse(line)) > 0);
    app.useLogger(app.get(PinoNestLogger));
    await app.init();
    await mountFrontDoors(app, [
      door('/door', 'FirstDoor'),
      door('/door', 'SecondDoor'),
      door('/quiet', 'QuietDoor', { accessLog: false }),
      door('/items/42', 'ItemDoor', { routeOf: () => '/items/{id}' }),
      broken,
      closing,
      counting,
    ]);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app?.close());

  it('answers with the first matching door, query left out of the path it matched', async () => {
    const response = await fetch(`${base}/door?x=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ from: 'FirstDoor', path: '/door' });
    expect(response.headers.get('content-length')).toBe(
      String(JSON.stringify({ from: 'FirstDoor', path: '/door' }).length),
    );
  });

  it('hands every other request, other spellings included, to Nest', async () => {
    expect(await (await fetch(`${base}/nest`)).json()).toEqual({ from: 'nest' });
    for (const path of ['/door/', '/DOOR']) expect((await fetch(`${base}${path}`)).status).toBe(404);
  });

  it('logs a door request once, and its service lines with the request, as on a Nest route', async () => {
    const id = 'front-door-spec-0001';
    const response = await fetch(`${base}/door`, {
      headers: { 'X-Request-Id': id, Authorization: 'Bearer secret' },
    });
    expect(response.headers.get('x-request-id')).toBe(id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mine = logged((line) => line.req?.id === id);
    expect(mine.map((line) => line.msg).sort()).toEqual([
      expect.stringMatching(/^GET \/door 200 \d+ms$/),
      'inside FirstDoor',
    ]);
    // Concise at info: id, method and path, no headers.
    expect(mine.find((line) => line.msg.startsWith('GET'))).toEqual(
      expect.objectContaining({ req: { id, method: 'GET', path: '/door' }, res: { statusCode: 200 } }),
    );
    expect(mine.find((line) => line.msg === 'inside FirstDoor')).toMatchObject({
      context: 'FirstDoor',
      req: { path: '/door' },
    });
    // The context binds the request with the same redaction as the access log.
    expect(JSON.stringify(mine)).not.toContain('secret');

    await fetch(`${base}/nest`, { headers: { 'X-Request-Id': 'front-door-spec-nest' } });
    expect(logged((line) => line.req?.id === 'front-door-spec-nest').map((line) => line.msg)).toContain(
      'inside nest',
    );
  });

  it('gives a door without access log a request id, and its service lines still carry it', async () => {
    const response = await fetch(`${base}/quiet`);
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await response.json();
    const mine = logged((line) => line.req?.id === id);
    expect(mine.map((line) => line.msg)).toEqual(['inside QuietDoor']);
  });

  it('cuts the connection when a door fails to answer at all, and logs why with the request', async () => {
    await expect(
      fetch(`${base}/broken`, { headers: { 'X-Request-Id': 'front-door-spec-broken' } }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      logged(
        (line) => line.req?.id === 'front-door-spec-broken' && line.msg === 'front door failed to answer',
      ),
    ).toEqual([
      expect.objectContaining({
        context: 'FrontDoor',
        err: expect.objectContaining({ message: 'renderer bug' }),
      }),
    ]);
  });

  it('serves pipelined requests one after the other, in order (HTTP/1.1 pipelining)', async () => {
    const get = (path: string, last = false) =>
      `GET ${path} HTTP/1.1\r\nHost: x\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
    const answer = await raw(base, get('/count/a') + get('/count/b') + get('/count/c', true));
    expect(answer.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(answer.indexOf('/count/a')).toBeLessThan(answer.indexOf('/count/b'));
    expect(answer.indexOf('/count/b')).toBeLessThan(answer.indexOf('/count/c'));
  });

  it('drops the requests pipelined behind a response that closed the connection (RFC 9112 §9.6)', async () => {
    handled.length = 0;
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const answer = await raw(base, get('/refuse') + get('/count/behind') + get('/nest'));
    expect(answer.match(/^HTTP\/1\.1 /gm)).toHaveLength(1);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled).toEqual([]);
  });

  it('records the duration of every request, door or Nest, under its route template and status', async () => {
    await (await fetch(`${base}/items/42`)).text();
    await (await fetch(`${base}/nest`)).text();
    await (await fetch(`${base}/nowhere`)).text();
    const text = await app
      .get(MetricsRegistry)
      .registry.getSingleMetricAsString('http_server_request_duration_seconds');
    const count = (route: string, status: string) =>
      new RegExp(
        `_count\\{http_request_method="GET",http_route="${route.replace(/[{}/]/g, '\\$&')}",http_response_status_code="${status}"\\} [1-9]`,
      ).test(text);
    expect(count('/items/{id}', '200')).toBe(true);
    expect(count('/nest', '200')).toBe(true);
    // Nothing matched: no route, so a scan of random paths cannot mint label values.
    expect(count('', '404')).toBe(true);
    expect(text).not.toContain('/nowhere');
  });

  it('takes over the request listener only once', async () => {
    await expect(mountFrontDoors(app, [])).rejects.toThrow(/once/);
  });
});
