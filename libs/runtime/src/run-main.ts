import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { ConfigValidationError, type EnvSource } from '@app/config';

export interface ListenOptions {
  port: number;
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
): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal} received: draining (up to ${graceMs} ms for open streams)`);
    const server = app.getHttpServer() as Server;
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.closeIdleConnections();
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
    installGracefulShutdown(app, listen.shutdownGraceMs, (msg) => console.log(`[${name}] ${msg}`));
    // Without a host Node listens on every address, IPv6 and IPv4 alike, as `localhost` may resolve to either.
    await (listen.host ? app.listen(listen.port, listen.host) : app.listen(listen.port));
    console.log(`[${name}] listening on ${await app.getUrl()}`);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(`[${name}] ${error.message}`);
    } else {
      console.error(`[${name}] failed to start:`, error);
    }
    process.exit(1);
  }
}
