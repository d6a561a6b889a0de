import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ToolCallLimiter } from '../limits/tool-call.limiter';
import { SessionsFrontDoor } from '../internal/sessions.front-door';
import { McpMetrics } from '../observability/mcp-metrics';
import { ProvidersModule } from '../providers/providers.module';
import { RegistryModule } from '../registry/registry.module';
import { CallDrain } from './call-drain';
import { JsonBodyReader } from './json-body.reader';
import { LegacyHttpService } from './legacy-http.service';
import { McpFrontDoor } from './mcp.front-door';
import { McpServerFactory } from './mcp-server.factory';
import { McpShutdown } from './mcp-shutdown';
import { ModernHttpService } from './modern-http.service';
import { OriginCheck } from './origin.check';
import { SessionStore } from './session.store';

/** `/mcp` has no Nest route: McpFrontDoor serves it ahead of Express (mounted in createMcpApp). */
@Module({
  imports: [AuthModule, RegistryModule, ProvidersModule],
  providers: [
    McpServerFactory,
    SessionStore,
    ModernHttpService,
    LegacyHttpService,
    OriginCheck,
    JsonBodyReader,
    McpFrontDoor,
    ToolCallLimiter,
    CallDrain,
    McpShutdown,
    McpMetrics,
    SessionsFrontDoor,
  ],
  exports: [McpFrontDoor, SessionsFrontDoor],
})
export class TransportModule {}
