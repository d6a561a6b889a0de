import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { AppLogger } from './app-logger';
import { createLoggerModule } from './logger.module';

@Controller()
class Routes {
  @Get('thing')
  thing(): { ok: true } {
    return { ok: true };
  }
}

interface Line {
  level: number;
  msg: string;
  req?: Record<string, unknown>;
  res?: Record<string, unknown>;
}

/** The access line at `level`: what each level shows of a request. */
async function accessLine(level: 'info' | 'debug'): Promise<Line> {
  @Module({
    imports: [createLoggerModule({ app: 'spec', level, nodeEnv: 'test', format: 'json' })],
    controllers: [Routes],
  })
  class SpecModule {}
  const app: INestApplication = await NestFactory.create(SpecModule, { bufferLogs: true });
  const lines: Line[] = [];
  const stream = (PinoLogger.root as unknown as Record<symbol, { write(line: string): boolean }>)[
    symbols.streamSym
  ];
  const spy = jest
    .spyOn(stream, 'write')
    .mockImplementation((line: string) => lines.push(JSON.parse(line)) > 0);
  try {
    app.useLogger(app.get(AppLogger));
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    await (
      await fetch(`http://127.0.0.1:${port}/thing?code=secret-code`, {
        headers: { Authorization: 'Bearer secret-token', 'X-Request-Id': `logger-spec-${level}` },
      })
    ).text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return lines.find((line) => line.req?.id === `logger-spec-${level}`)!;
  } finally {
    spy.mockRestore();
    await app.close();
  }
}

/**
 * At debug an access line carries the whole request (the concise info line is asserted in front-door.spec and the
 * observability e2e). nestjs-pino keeps one pino-http instance per process, hence one level per spec file.
 */
describe('createLoggerModule access lines', () => {
  it('at debug: the whole target and the headers too, credentials redacted', async () => {
    const line = await accessLine('debug');
    expect(line.req).toMatchObject({
      path: '/thing',
      url: '/thing?code=secret-code',
      headers: expect.objectContaining({ authorization: '[Redacted]', 'x-request-id': 'logger-spec-debug' }),
    });
    expect(line.res).toMatchObject({ headers: expect.any(Object) });
    expect(JSON.stringify(line)).not.toContain('secret-token');
  });
});
