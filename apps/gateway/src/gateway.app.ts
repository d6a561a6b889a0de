import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { EnvSource } from '@app/config';
import type { StartedApp } from '@app/runtime';
import { loadGatewayConfig } from './config/gateway.config';
import { GatewayModule } from './gateway.module';

/** Builds the gateway without listening, so tests can listen on an ephemeral port. */
export async function createGatewayApp(
  source: EnvSource,
): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = loadGatewayConfig(source);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  return {
    app,
    listen: { port: config.port, host: config.host, shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS },
  };
}
