import { registerAs } from '@nestjs/config';
import { toPublicUrlSettings, validateConfig, type EnvSource, type PublicUrlSettings } from '@app/config';
import { McpEnv } from './mcp.env';

export interface McpConfig {
  env: McpEnv;
  port: number;
  host: string;
  publicUrl: PublicUrlSettings;
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadMcpConfig(source: EnvSource): McpConfig {
  const env = validateConfig(McpEnv, source);
  return {
    env,
    port: env.MCP_PORT,
    host: env.MCP_HOST,
    publicUrl: toPublicUrlSettings(env.PUBLIC_URL, env.PUBLIC_HOST_ALIASES),
  };
}

export const MCP_CONFIG = 'mcp';

export const mcpConfig = (config: McpConfig) => registerAs(MCP_CONFIG, () => config);
