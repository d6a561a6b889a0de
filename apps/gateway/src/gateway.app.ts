import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EnvSource } from '@app/config';
import { createMetricsServer, MetricsRegistry } from '@app/observability';
import { AppLogger, LOOPBACK_HOST, mountFrontDoors, type StartedApp } from '@app/runtime';
import { gatewayConfig } from './config/gateway.config';
import { GatewayModule } from './gateway.module';
import { GatewayFrontDoor } from './proxy/gateway.front-door';

/** Builds the gateway without listening, so tests can listen on an ephemeral port. */
export async function createGatewayApp(
  source: EnvSource,
): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = gatewayConfig(source);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), {
    bufferLogs: true,
    // Bodies are streamed to the upstreams untouched; nothing on the gateway may consume them.
    bodyParser: false,
    // Failures to start reach runMain, which prints one line for them (no abort, no stack, no buffered lines).
    abortOnError: false,
    autoFlushLogs: false,
  });
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  // Proxied responses carry the upstreams' headers, not a banner of the gateway's framework.
  app.disable('x-powered-by');
  // Routes and the request logger exist after init; the front door then answers ahead of Express.
  await app.init();
  await mountFrontDoors(app, [app.get(GatewayFrontDoor)]);
  const admin = config.admin;
  return {
    app,
    listen: {
      port: config.port,
      host: config.host,
      shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS,
      portVariable: 'GATEWAY_PORT',
      hostVariable: 'GATEWAY_HOST',
    },
    sideListeners: [
      {
        name: 'admin',
        server: createMetricsServer(app.get(MetricsRegistry)),
        port: admin.port,
        host: admin.host,
        portVariable: 'GATEWAY_ADMIN_PORT',
        hostVariable: 'GATEWAY_ADMIN_HOST',
      },
    ],
    banner: (urls) => {
      const base = publicBaseOf(config.host, urls.app);
      return `MCP endpoint ${base}/mcp · Swagger ${base}/docs · metrics ${urls.admin}/metrics`;
    },
  };
}

/** What a person on this machine opens: `localhost` for a loopback listener, the listener's own URL otherwise. */
function publicBaseOf(host: string | undefined, listening: string): string {
  const port = new URL(listening).port;
  const local = host === undefined || host === LOOPBACK_HOST || host === '127.0.0.1' || host === '::1';
  return local ? `http://localhost:${port}` : listening;
}
