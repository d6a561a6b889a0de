import type { DynamicModule } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { LogLevel, NodeEnv } from '@app/config';
import { accessLogLevelOf } from './access-log-level';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

export interface LoggingOptions {
  app: string;
  level: LogLevel;
  nodeEnv: NodeEnv;
  format?: 'json' | 'pretty';
  /** Paths that are too chatty to log at info (health probes). */
  quietPaths?: string[];
}

/**
 * Structured logs with nestjs-pino: JSON in production, readable elsewhere. Every line carries the request id,
 * which is echoed in the response so a client can quote it.
 */
export function createLoggerModule(options: LoggingOptions): DynamicModule {
  const pretty = (options.format ?? (options.nodeEnv === 'production' ? 'json' : 'pretty')) === 'pretty';
  const quiet = new Set(options.quietPaths ?? ['/healthz', '/readyz']);
  return LoggerModule.forRoot({
    pinoHttp: {
      name: options.app,
      level: options.level,
      genReqId: (req, res: ServerResponse) => {
        const id = requestIdFor(req);
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customLogLevel: (req, res, error) => {
        if (error) return 'error';
        const chosen = accessLogLevelOf(res);
        if (chosen) return chosen;
        if (res.statusCode >= 500) return 'error';
        if (quiet.has((req.url ?? '').split('?')[0])) return 'debug';
        return 'info';
      },
      // Never log credentials: bearer tokens, cookies, client secrets in Basic auth.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      transport: pretty
        ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
        : undefined,
    },
  });
}
