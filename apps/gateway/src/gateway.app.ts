import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { EnvSource } from '@app/config';
import { mountFrontDoors, type StartedApp } from '@app/runtime';
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
  });
  app.useLogger(app.get(Logger));
  // Proxied responses carry the upstreams' headers, not a banner of the gateway's framework.
  app.disable('x-powered-by');
  // Routes and the request logger exist after init; the front door then answers ahead of Express.
  await app.init();
  await mountFrontDoors(app, [app.get(GatewayFrontDoor)]);
  return {
    app,
    listen: { port: config.port, host: config.host, shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS },
  };
}
