import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BearerAuthMiddleware } from '../auth/bearer-auth.middleware';
import { ProvidersModule } from '../providers/providers.module';
import { RegistryModule } from '../registry/registry.module';
import { JsonBodyMiddleware } from './json-body.middleware';
import { McpFrontDoorService } from './mcp-front-door.service';
import { McpServerFactory } from './mcp-server.factory';
import { McpController } from './mcp.controller';
import { OriginMiddleware } from './origin.middleware';
import { ServerPool } from './server-pool';
import { SessionStore } from './session.store';
import { StreamableHttpService } from './streamable-http.service';

@Module({
  imports: [AuthModule, RegistryModule, ProvidersModule],
  controllers: [McpController],
  providers: [
    McpServerFactory,
    ServerPool,
    SessionStore,
    StreamableHttpService,
    // Also providers, so McpFrontDoorService can run the same steps.
    OriginMiddleware,
    JsonBodyMiddleware,
    McpFrontDoorService,
  ],
  exports: [McpFrontDoorService],
})
export class TransportModule implements NestModule {
  /**
   * The route for the spellings of /mcp McpFrontDoorService leaves to Nest (trailing slash, case); the front
   * door runs these same steps. Order matters: reject foreign origins/hosts first, then authenticate, and only then read the body, so an
   * unauthenticated client never makes the server parse up to MCP_MAX_BODY_BYTES.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(OriginMiddleware, BearerAuthMiddleware, JsonBodyMiddleware)
      .forRoutes({ path: 'mcp', method: RequestMethod.ALL });
  }
}
