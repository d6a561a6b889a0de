import type { RequestListener, Server } from 'node:http';
import { PinoLogger, type Params } from 'nestjs-pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';

/**
 * Puts `handler` in place of the server's request listener (the Express app) and returns that listener, so the
 * handler can answer hot paths itself and pass everything else on to Nest. Call once the app is initialised.
 */
export function takeOverRequestListener(server: Server, handler: RequestListener): RequestListener {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) throw new Error('Expected exactly one request listener (the Express app)');
  const [nest] = listeners;
  server.removeListener('request', nest);
  server.on('request', handler);
  return nest;
}

/**
 * A request logger for traffic answered ahead of Express: the pino-http options nestjs-pino was configured with
 * (request id, levels, redaction) over the pino logger it already built, so there is one destination and one
 * transport. pino-http consumes its options object, hence the copy. Build it once, after the app is initialised.
 */
export function createHttpLogger(params: Params): HttpLogger {
  const configured = params.pinoHttp;
  const options = (Array.isArray(configured) ? configured[0] : configured) as Options | undefined;
  const root = PinoLogger.root as Options['logger'] | undefined;
  return pinoHttp({ ...options, ...(root ? { logger: root } : {}) });
}
