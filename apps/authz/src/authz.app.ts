import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { EnvSource } from '@app/config';
import type { StartedApp } from '@app/runtime';
import { loadAuthzConfig } from './config/authz.config';
import { AuthzModule } from './authz.module';

/** Builds the authz app without listening, so tests can listen on an ephemeral port. */
export async function createAuthzApp(
  source: EnvSource,
): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = loadAuthzConfig(source);
  const app = await NestFactory.create<NestExpressApplication>(AuthzModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  return {
    app,
    listen: { port: config.port, host: config.host, shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS },
  };
}
