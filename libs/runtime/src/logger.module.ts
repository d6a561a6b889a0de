import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { LogLevel, NodeEnv } from '@app/config';
import { stdoutLines } from '@app/observability';
import { accessLogFieldsOf, accessLogLevelOf } from './access-log-level';
import { AppLogger } from './app-logger';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

export interface LoggingOptions {
  app: string;
  level: LogLevel;
  nodeEnv: NodeEnv;
  format?: 'json' | 'pretty';
  /** Probes too chatty to log at info, whatever they answer (health and readiness). */
  quietPaths?: string[];
}

/** What pino-std-serializers makes of a request and a response (the raw objects stay reachable as `raw`). */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}
interface SerializedResponse {
  statusCode?: number;
  headers?: Record<string, unknown>;
}

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];

/**
 * At info a request is its id, method and path (no query: it may carry codes); at debug also the whole target,
 * the headers (credentials redacted) and the peer. Service lines logged during a request carry the same.
 */
function serializers(verbose: boolean) {
  return {
    req: (req: SerializedRequest) =>
      verbose
        ? {
            id: req.id,
            method: req.method,
            path: pathOf(req.url),
            url: req.url,
            headers: req.headers,
            remoteAddress: req.remoteAddress,
          }
        : { id: req.id, method: req.method, path: pathOf(req.url) },
    res: (res: SerializedResponse) =>
      verbose ? { statusCode: res.statusCode, headers: res.headers } : { statusCode: res.statusCode },
  };
}

/**
 * One line per request: `POST /mcp 200 12ms`. Probes log at debug whatever they answer (a readiness 503 while
 * the upstreams start is expected; HealthController logs the changes that matter); an unexpected 500 is an
 * error; other 5xx (an upstream or dependency down, already logged where it was noticed) a warning.
 */
function accessLevel(quiet: Set<string>) {
  return (req: IncomingMessage, res: ServerResponse, error?: Error) => {
    if (error) return 'error';
    const chosen = accessLogLevelOf(res);
    if (chosen) return chosen;
    if (quiet.has(pathOf(req.url))) return 'debug';
    if (res.statusCode === 500) return 'error';
    if (res.statusCode > 500) return 'warn';
    return 'info';
  };
}

const message = (req: IncomingMessage, res: ServerResponse, ms: number) =>
  `${req.method} ${pathOf(req.url)} ${res.statusCode} ${ms}ms`;

/**
 * Structured logs with nestjs-pino: JSON in production, readable elsewhere. Every line carries the request id,
 * which is echoed in the response so a client can quote it.
 */
export function createLoggerModule(options: LoggingOptions): DynamicModule {
  const pretty = (options.format ?? (options.nodeEnv === 'production' ? 'json' : 'pretty')) === 'pretty';
  const quiet = new Set(options.quietPaths ?? ['/healthz', '/readyz', '/metrics']);
  const verbose = options.level === 'debug' || options.level === 'trace';
  const httpOptions = {
    name: options.app,
    level: options.level,
    // pino-http keeps a `req.id` set earlier (the front-door listener sets it for every request).
    genReqId: (req, res: ServerResponse) => {
      const id = requestIdFor(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customLogLevel: accessLevel(quiet),
    serializers: serializers(verbose),
    customSuccessMessage: message,
    // pino-http passes the response time as a fourth argument its types leave out.
    customErrorMessage: (req: IncomingMessage, res: ServerResponse, _error: Error, ms?: number) =>
      message(req, res, ms ?? 0),
    customSuccessObject: (_req, res, value) => ({ ...value, ...accessLogFieldsOf(res) }),
    // A 5xx is told by its status; pino-http's made-up Error (with a stack of its own) says nothing more.
    customErrorObject: (_req, res, error, value) => {
      const { err: _err, ...rest } = value as Record<string, unknown>;
      const real = error && !/^failed with status code \d+$/.test(error.message);
      return { ...rest, ...accessLogFieldsOf(res), ...(real ? { err: error } : {}) };
    },
    // Never log credentials: bearer tokens, cookies, client secrets in Basic auth. Headers are only logged at
    // debug (the serializers leave them out below that), so only then is there anything to redact.
    ...(verbose
      ? { redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] }
      : {}),
    transport: pretty
      ? {
          target: 'pino-pretty',
          options: {
            singleLine: true,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname,req,res,responseTime',
            messageFormat: '{msg}{if req.id} [{req.id}]{end}',
          },
        }
      : undefined,
  } satisfies Params['pinoHttp'];
  const module = LoggerModule.forRoot({
    // Pretty output goes through pino-pretty's worker; JSON lines through the process's one batched stdout.
    pinoHttp: pretty ? httpOptions : [httpOptions, stdoutLines()],
  });
  // The app's Nest logger: `app.useLogger(app.get(AppLogger))`.
  return {
    ...module,
    providers: [...(module.providers ?? []), AppLogger],
    exports: [...(module.exports ?? []), AppLogger],
  };
}
