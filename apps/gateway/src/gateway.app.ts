import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { EnvSource } from '@app/config';
import type { StartedApp } from '@app/runtime';
import { loadGatewayConfig } from './config/gateway.config';
import { GatewayModule } from './gateway.module';
import { FrontDoorService } from './proxy/front-door.service';

/** Builds the gateway without listening, so tests can listen on an ephemeral port. */
export async function createGatewayApp(
  source: EnvSource,
): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = loadGatewayConfig(source);
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
  app.get(FrontDoorService).mount(app.getHttpServer() as Server);
  return {
    app,
    listen: { port: config.port, host: config.host, shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS },
  };
}
