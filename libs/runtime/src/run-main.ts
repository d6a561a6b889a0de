import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EnvSource } from '@app/config';
import { AppLogger } from './app-logger';
import { describeBootFailure, ListenError } from './boot-failure';
import { stopAccepting, trackResponses } from './http-drain';
import { mirrorOnIpv6Loopback } from './ipv6-loopback-mirror';

/** A `host` that means both loopback addresses: 127.0.0.1, and [::1] where the machine has it. */
export const LOOPBACK_HOST = 'loopback';

/** After the grace period, how long the apps' shutdown hooks may still take before the process exits anyway. */
const HOOKS_MARGIN_MS = 5_000;

export interface ListenOptions {
  port: number;
  /** An address, LOOPBACK_HOST, or undefined for every address (IPv6 and IPv4). */
  host?: string;
  /** In-flight requests and open streams (SSE) get this long after SIGTERM before their connections are cut. */
  shutdownGraceMs: number;
  /** The variables that chose `port` and `host`: a listen failure names them. */
  portVariable?: string;
  hostVariable?: string;
}

/** A listener besides the app's own (the gateway's admin listener), opened after it and closed with it. */
export interface SideListener {
  name: string;
  server: Server;
  port: number;
  host: string;
  portVariable: string;
  hostVariable: string;
}

export interface StartedApp {
  app: INestApplication;
  listen: ListenOptions;
  /** Extra listeners, by name; their URLs are handed to `banner`. */
  sideListeners?: SideListener[];
  /** The one line logged once everything listens: what to open. `urls.app` is the app's own listener. */
  banner?: (urls: Record<string, string>) => string;
}

/**
 * On SIGTERM/SIGINT: stops accepting (new connections, and new requests on kept-alive ones, which get 503),
 * lets in-flight requests finish while Nest runs the apps' shutdown hooks (mcp drains its tool calls there),
 * cuts whatever is still open (SSE streams) after the grace period, and exits 0 once every connection is closed.
 * Call after the front doors are mounted.
 */
export function installGracefulShutdown(
  app: INestApplication,
  graceMs: number,
  log: (msg: string) => void,
  mirrors: readonly Server[] = [],
): void {
  const active = trackResponses(app.getHttpServer() as Server);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal} received: draining (up to ${graceMs} ms for in-flight requests and open streams)`);
    const servers = [app.getHttpServer() as Server, ...mirrors];
    const drain = stopAccepting(servers, active);
    const cut = setTimeout(() => servers.forEach((server) => server.closeAllConnections()), graceMs);
    cut.unref();
    // A shutdown hook that never settles (a client library waiting on a dead peer) must not keep the process.
    const deadline = setTimeout(() => {
      log(`shutdown did not complete within ${graceMs + HOOKS_MARGIN_MS} ms: exiting`);
      process.exit(1);
    }, graceMs + HOOKS_MARGIN_MS);
    deadline.unref();
    app
      .close()
      // What the shutdown hooks wrote (answers to calls that could not finish) reaches the client before exit.
      .then(() => drain.closed())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  // `on`, not `once`: Ctrl-C under `npm start` delivers SIGINT twice (the terminal's process group, then
  // concurrently forwarding it), and a second signal without a handler would kill the process mid-drain.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Listens, turning a failure into a ListenError that knows which variables to name. */
function listenOn(
  server: Server,
  port: number,
  host: string | undefined,
  variables: ListenError['variables'],
) {
  return new Promise<number>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new ListenError(error, port, host, variables));
    server.once('error', failed);
    const listening = () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    };
    if (host) server.listen(port, host, listening);
    else server.listen(port, listening);
  });
}

const urlOf = (host: string | undefined, port: number) =>
  `http://${host === undefined ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * Entry point shared by the apps' main.ts: loads .env if present, validates config, listens, logs one banner
 * line, drains on exit. Any failure to start is one line on stderr naming the variable to change (boot-failure.ts).
 */
export async function runMain(name: string, create: (env: EnvSource) => Promise<StartedApp>): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const { app, listen, sideListeners = [], banner } = await create(process.env);
    const mirrors: Server[] = [];
    installGracefulShutdown(app, listen.shutdownGraceMs, (msg) => console.log(`[${name}] ${msg}`), mirrors);
    const server = app.getHttpServer() as Server;
    const variables = { port: listen.portVariable, host: listen.hostVariable };
    const loopback = listen.host === LOOPBACK_HOST;
    const host = loopback ? '127.0.0.1' : listen.host;
    // Without a host Node listens on every address, IPv6 and IPv4 alike, as `localhost` may resolve to either.
    const port = await listenOn(server, listen.port, host, variables);
    const mirror = loopback ? await mirrorOnIpv6Loopback(server, port) : undefined;
    if (mirror) mirrors.push(mirror);
    const urls: Record<string, string> = { app: urlOf(host, port) };
    for (const side of sideListeners) {
      const sidePort = await listenOn(side.server, side.port, side.host, {
        port: side.portVariable,
        host: side.hostVariable,
      });
      urls[side.name] = urlOf(side.host, sidePort);
      mirrors.push(side.server);
    }
    const listening = `${name} listening on ${urls.app}${mirror ? ' and [::1]' : ''}`;
    app.get(AppLogger).log(banner ? `${listening} · ${banner(urls)}` : listening, 'Main');
  } catch (error) {
    console.error(`[${name}] ${describeBootFailure(error, process.env)}`);
    if (['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '')) console.error(error);
    process.exit(1);
  }
}
