import { registerAs } from '@nestjs/config';
import { validateConfig, type EnvSource } from '@app/config';
import { GatewayEnv } from './gateway.env';

export interface GatewayConfig {
  env: GatewayEnv;
  port: number;
  host?: string;
  upstreams: { authz: string; mcp: string };
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadGatewayConfig(source: EnvSource): GatewayConfig {
  const env = validateConfig(GatewayEnv, source);
  return {
    env,
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    upstreams: { authz: env.AUTHZ_UPSTREAM_URL, mcp: env.MCP_UPSTREAM_URL },
  };
}

export const GATEWAY_CONFIG = 'gateway';

export const gatewayConfig = (config: GatewayConfig) => registerAs(GATEWAY_CONFIG, () => config);
