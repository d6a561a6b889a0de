import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { EnvSource } from '@app/config';
import { AppLogger, mountFrontDoors, type StartedApp } from '@app/runtime';
import { mcpConfig } from './config/mcp.config';
import { McpModule } from './mcp.module';
import { SessionsFrontDoor } from './internal/sessions.front-door';
import { McpFrontDoor } from './transport/mcp.front-door';

/** Builds the mcp app without listening, so tests can listen on an ephemeral port. */
export async function createMcpApp(source: EnvSource): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = mcpConfig(source);
  const app = await NestFactory.create<NestExpressApplication>(McpModule.forRoot(config), {
    bufferLogs: true,
    // /mcp parses its own body after authentication (McpFrontDoor); nothing else takes a body.
    bodyParser: false,
    // Failures to start reach runMain, which prints one line for them (no abort, no stack, no buffered lines).
    abortOnError: false,
    autoFlushLogs: false,
  });
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  app.disable('x-powered-by');
  const server = app.getHttpServer() as Server;
  // Outlive the gateway agent's idle sockets so a reused connection is never closed under a request.
  server.keepAliveTimeout = config.env.MCP_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = config.env.MCP_KEEP_ALIVE_TIMEOUT_MS + 1000;
  // Routes and the request logger exist after init; /mcp is then answered ahead of Express.
  await app.init();
  await mountFrontDoors(app, [app.get(McpFrontDoor), app.get(SessionsFrontDoor)]);
  const mode = config.stateless ? 'stateless' : 'sessions';
  return {
    app,
    listen: {
      port: config.port,
      host: config.host,
      shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS,
      portVariable: 'MCP_PORT',
      hostVariable: 'MCP_HOST',
    },
    banner: () =>
      `internal; /mcp (${mode}) for ${config.publicUrl.publicUrl}/mcp · files ${config.fsRoot} · metrics /metrics`,
  };
}
