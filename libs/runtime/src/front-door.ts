import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
import { observerOf } from '@app/observability';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

/**
 * A hot path answered ahead of Express. Express routing and Nest's middleware, guard and filter machinery cost
 * more per request than the work of the endpoints that use this (the gateway's proxy, mcp's /mcp, authz's
 * token status); every other request, other spellings of a door's path included, goes on to Nest.
 */
export interface FrontDoor {
  /** Whether this door answers the request; `path` is the request target without its query. No side effects. */
  matches(req: IncomingMessage, path: string): boolean;
  /** Answers every request it matched, refusals included (with writeJson). Runs in the request's log context. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void>;
  /** `false`: no access-log line, for a private endpoint whose caller logs the exchange it serves. */
  readonly accessLog?: boolean;
  /**
   * For a request that sent `Expect: 100-continue`: whether `handle` will answer it without reading its body (a
   * declared length over the limit). Then no 100 (Continue) is sent first (RFC 9110 §10.1.1: a server may answer
   * with the final status instead), so the client never uploads a body that is refused anyway. No side effects.
   */
  answersWithoutBody?(req: IncomingMessage, path: string): boolean;
  /**
   * The route a request of this door counts under in metrics and traces (`http.route`): a template, never a
   * path with ids in it. Default: the path, for a door that matches one exact path.
   */
  routeOf?(path: string): string;
}

const MOUNTED = Symbol('frontDoorsMounted');

/** The catch-all route Nest registers to answer 404: no route of the app's own. */
const NEST_NOT_FOUND = '{/*splat}';

/** The route Express matched (its template, e.g. `/login/callback/:provider`), '' when none did. */
function nestRouteOf(req: IncomingMessage): string {
  const path = (req as IncomingMessage & { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' && path !== NEST_NOT_FOUND ? path : '';
}

function doorFor(doors: readonly FrontDoor[], req: IncomingMessage, path: string): FrontDoor | undefined {
  for (const door of doors) if (door.matches(req, path)) return door;
  return undefined;
}

/**
 * The pino-http options nestjs-pino was configured with (request id, levels, redaction) over the pino logger it
 * already built, so front-door traffic is logged exactly like Nest's: one destination, one transport.
 */
function createHttpLogger(params: Params): HttpLogger {
  const configured = params.pinoHttp;
  const options = (Array.isArray(configured) ? configured[0] : configured) as Options | undefined;
  const root = PinoLogger.root as Options['logger'] | undefined;
  return pinoHttp({ ...options, ...(root ? { logger: root } : {}) });
}

/**
 * Puts the app's front doors ahead of Express, once per app, after `app.init()` (routes and the logger exist):
 * a request goes to the first door that matches it, anything else to Nest. A door's request gets an id and an
 * access-log line from the same pino-http setup Nest uses, and its handler runs in nestjs-pino's per-request
 * log context (PinoLogger.runInContext, the store its HTTP middleware fills for Nest routes), so a service's
 * `Logger` lines carry the request like they do on a Nest route. Every request, a door's or Nest's, is observed
 * here (duration by route and status, its trace span) through the app's HttpServerObserver.
 */
export async function mountFrontDoors(app: INestApplication, doors: readonly FrontDoor[]): Promise<void> {
  const server = app.getHttpServer() as Server & { [MOUNTED]?: true };
  const listeners = server.listeners('request') as RequestListener[];
  if (server[MOUNTED] || listeners.length !== 1) {
    throw new Error('Front doors are mounted once, in place of the one request listener (the Express app)');
  }
  const [nest] = listeners;
  const observer = observerOf(server);
  const httpLogger = createHttpLogger(app.get<Params>(PARAMS_PROVIDER_TOKEN));
  const context = await app.resolve(PinoLogger);
  context.setContext('FrontDoor');

  // A door renders its own errors; one that throws anyway has failed at that too, so nothing trustworthy can be
  // written: the connection is cut, and the failure logged with the request.
  const broken = (error: unknown, res: ServerResponse) => {
    context.error({ err: error }, 'front door failed to answer');
    res.destroy();
  };
  const serve = (door: FrontDoor, req: IncomingMessage, res: ServerResponse, path: string) => {
    try {
      door.handle(req, res, path)?.catch((error: unknown) => broken(error, res));
    } catch (error) {
      broken(error, res);
    }
  };

  const pathOf = (req: IncomingMessage) => {
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    return queryAt === -1 ? url : url.slice(0, queryAt);
  };

  const enter = (door: FrontDoor, req: IncomingMessage, res: ServerResponse, path: string) => {
    if (door.accessLog === false) {
      req.id = requestIdFor(req);
      res.setHeader(REQUEST_ID_HEADER, req.id);
    } else {
      httpLogger(req, res);
    }
    // `req` bound as pino-http binds it to req.log: the same serializer and redaction, so the same fields.
    context.runInContext(() => serve(door, req, res, path), { bindings: { req } });
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    const door = doorFor(doors, req, path);
    const run = door ? () => enter(door, req, res, path) : () => nest(req, res);
    if (!observer) return run();
    const route = door ? () => (door.routeOf ? door.routeOf(path) : path) : () => nestRouteOf(req);
    observer.observe(req, res, route, run);
  };

  // Pipelined requests (HTTP/1.1: Node parses and emits them as they arrive) are served one after the other:
  // once a response has closed its connection, the requests still queued behind it are dropped, as RFC 9112
  // §9.6 requires ("MUST NOT process any further requests received on that connection"). Without this, bytes
  // sent after a request that was refused with `Connection: close` would still be handled, and proxied.
  const lastOnSocket = new WeakMap<Socket, Promise<void>>();
  server.removeListener('request', nest);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const previous = lastOnSocket.get(socket);
    lastOnSocket.set(socket, new Promise<void>((resolve) => res.once('close', () => resolve())));
    if (!previous) return dispatch(req, res);
    void previous.then(() => {
      if (socket.destroyed || socket.writableEnded) return;
      dispatch(req, res);
    });
  });
  // With a listener here Node no longer answers `Expect: 100-continue` by itself: invite the body unless the
  // door will refuse the request unread, then serve it like any other.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    if (!doorFor(doors, req, path)?.answersWithoutBody?.(req, path)) res.writeContinue();
    server.emit('request', req, res);
  });
  server[MOUNTED] = true;
}
