import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mcpConfig } from '../config/mcp.config';
import { DEFAULT_LOG_LEVEL } from './call-context';
import { McpServerFactory, type BuiltServer } from './mcp-server.factory';

/**
 * Stateless mode reuses McpServer objects: building one registers every tool, resource and prompt, ~45-60 us of
 * CPU per request even with the shared validator (Node 20). A transport cannot be reused, so each request gets
 * a fresh one, and the server is closed (disconnected) before it goes back to the pool with its per-request
 * state reset.
 */
@Injectable()
export class ServerPool {
  private readonly idle: BuiltServer[] = [];

  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly factory: McpServerFactory,
  ) {}

  acquire(): BuiltServer {
    return this.idle.pop() ?? this.factory.create();
  }

  async release(built: BuiltServer): Promise<void> {
    await built.server.close().catch(() => undefined);
    built.state.level = DEFAULT_LOG_LEVEL;
    if (this.idle.length < this.config.env.MCP_SERVER_POOL_SIZE) this.idle.push(built);
  }
}
