import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { createLoggerModule, HealthModule } from '@app/runtime';
import { mcpConfig, type McpConfig } from './config/mcp.config';

@Module({})
export class McpModule {
  static forRoot(config: McpConfig): DynamicModule {
    return {
      module: McpModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [mcpConfig(config)] }),
        createLoggerModule({
          app: 'mcp',
          level: config.env.LOG_LEVEL,
          nodeEnv: config.env.NODE_ENV,
          format: config.env.LOG_FORMAT,
        }),
        HealthModule.forRoot(),
      ],
    };
  }
}
