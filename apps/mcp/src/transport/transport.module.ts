import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SessionsFrontDoor } from '../internal/sessions.front-door';
import { McpMetrics } from '../observability/mcp-metrics';
import { ProvidersModule } from '../providers/providers.module';
import { RegistryModule } from '../registry/registry.module';
import { JsonBodyReader } from './json-body.reader';
import { McpFrontDoor } from './mcp.front-door';
import { McpServerFactory } from './mcp-server.factory';
import { OriginCheck } from './origin.check';
import { ServerPool } from './server-pool';
import { SessionStore } from './session.store';
import { StreamableHttpService } from './streamable-http.service';

/** `/mcp` has no Nest route: McpFrontDoor serves it ahead of Express (mounted in createMcpApp). */
@Module({
  imports: [AuthModule, RegistryModule, ProvidersModule],
  providers: [
    McpServerFactory,
    ServerPool,
    SessionStore,
    StreamableHttpService,
    OriginCheck,
    JsonBodyReader,
    McpFrontDoor,
    McpMetrics,
    SessionsFrontDoor,
  ],
  exports: [McpFrontDoor, SessionsFrontDoor],
})
export class TransportModule {}
