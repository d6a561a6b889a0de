import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigValidationError, type EnvSource } from '@app/config';
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
  /** Open streams (SSE) get this long after SIGTERM before their connections are cut. */
  shutdownGraceMs: number;
}

export interface StartedApp {
  app: INestApplication;
  listen: ListenOptions;
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

/** Entry point shared by the apps' main.ts: loads .env if present, validates config, listens, drains on exit. */
export async function runMain(name: string, create: (env: EnvSource) => Promise<StartedApp>): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const { app, listen } = await create(process.env);
    const mirrors: Server[] = [];
    installGracefulShutdown(app, listen.shutdownGraceMs, (msg) => console.log(`[${name}] ${msg}`), mirrors);
    if (listen.host === LOOPBACK_HOST) {
      await app.listen(listen.port, '127.0.0.1');
      const server = app.getHttpServer() as Server;
      const mirror = await mirrorOnIpv6Loopback(server, (server.address() as AddressInfo).port);
      if (mirror) mirrors.push(mirror);
    } else {
      // Without a host Node listens on every address, IPv6 and IPv4 alike, as `localhost` may resolve to either.
      await (listen.host ? app.listen(listen.port, listen.host) : app.listen(listen.port));
    }
    console.log(`[${name}] listening on ${await app.getUrl()}${mirrors.length > 0 ? ' and [::1]' : ''}`);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(`[${name}] ${error.message}`);
    } else {
      console.error(`[${name}] failed to start:`, error);
    }
    process.exit(1);
  }
}
