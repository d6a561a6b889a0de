import { DynamicModule, Module } from '@nestjs/common';
import type { McpConfig } from './mcp.config';
import { MCP_CONFIG_TOKEN } from './mcp-config.token';

/** Makes the validated config injectable everywhere as MCP_CONFIG_TOKEN (no process.env reads after boot). */
@Module({})
export class McpConfigModule {
  static forRoot(config: McpConfig): DynamicModule {
    return {
      module: McpConfigModule,
      global: true,
      providers: [{ provide: MCP_CONFIG_TOKEN, useValue: config }],
      exports: [MCP_CONFIG_TOKEN],
    };
  }
}
