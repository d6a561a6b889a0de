import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { RateLimitStorageModule } from '@app/oauth-store';
import { ObservabilityModule } from '@app/observability';
import { createLoggerModule, HealthModule } from '@app/runtime';
import { McpExceptionFilter } from './auth/mcp-exception.filter';
import { mcpConfig, type McpConfig } from './config/mcp.config';
import { ConformanceFixturesModule } from './providers/conformance/conformance-fixtures.module';
import { ResourceMetadataModule } from './resource-metadata/resource-metadata.module';
import { TransportModule } from './transport/transport.module';

@Module({})
export class McpModule {
  static forRoot(config: McpConfig): DynamicModule {
    return {
      module: McpModule,
      imports: [
        mcpConfig.forRoot(config),
        createLoggerModule({
          app: 'mcp',
          level: config.env.LOG_LEVEL,
          nodeEnv: config.env.NODE_ENV,
          format: config.env.LOG_FORMAT,
        }),
        HealthModule.forRoot(),
        // Tool-call counters: shared through authz's Redis in cluster mode, under their own key prefix.
        RateLimitStorageModule.forRoot({ url: config.storeUrl, keyPrefix: 'mcp:' }),
        ObservabilityModule.forRoot({
          app: 'mcp',
          tracing: config.tracing,
          audit: config.audit,
          metricsRoute: true,
        }),
        ResourceMetadataModule,
        TransportModule,
        ...(config.conformanceFixtures ? [ConformanceFixturesModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: McpExceptionFilter }],
    };
  }
}
