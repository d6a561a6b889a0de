import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { EnvSource } from '@app/config';
import type { StartedApp } from '@app/runtime';
import { loadMcpConfig } from './config/mcp.config';
import { McpModule } from './mcp.module';

/** Builds the mcp app without listening, so tests can listen on an ephemeral port. */
export async function createMcpApp(source: EnvSource): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = loadMcpConfig(source);
  const app = await NestFactory.create<NestExpressApplication>(McpModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  return {
    app,
    listen: { port: config.port, host: config.host, shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS },
  };
}
