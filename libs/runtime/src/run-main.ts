import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigValidationError, type EnvSource } from '@app/config';
import { mirrorOnIpv6Loopback } from './ipv6-loopback-mirror';

/** A `host` that means both loopback addresses: 127.0.0.1, and [::1] where the machine has it. */
export const LOOPBACK_HOST = 'loopback';

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
 * Stops accepting on SIGTERM/SIGINT, lets in-flight requests finish, cuts whatever is still open (SSE streams)
 * after the grace period, then exits 0.
 */
export function installGracefulShutdown(
  app: INestApplication,
  graceMs: number,
  log: (msg: string) => void,
  mirrors: readonly Server[] = [],
): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal} received: draining (up to ${graceMs} ms for open streams)`);
    const servers = [app.getHttpServer() as Server, ...mirrors];
    const cut = setTimeout(() => servers.forEach((server) => server.closeAllConnections()), graceMs);
    cut.unref();
    for (const server of servers) server.closeIdleConnections();
    for (const mirror of mirrors) mirror.close();
    app
      .close()
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
