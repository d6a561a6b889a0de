import { BlockList, isIP } from 'node:net';
import { registerAs } from '@nestjs/config';
import { ConfigValidationError, splitList, validateConfig, type EnvSource } from '@app/config';
import { GatewayEnv } from './gateway.env';

export interface GatewayConfig {
  env: GatewayEnv;
  port: number;
  host?: string;
  upstreams: { authz: string; mcp: string };
  /** Exact origins (scheme://host[:port]) allowed on the credentialed-resource routes (/mcp, PRM). */
  corsOrigins: string[];
  /** Addresses and CIDR ranges of trusted outer proxies. */
  trustedProxies: string[];
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  upstreamIdleMs: number;
  readinessTimeoutMs: number;
}

function checkOrigins(origins: string[]): string[] {
  return origins
    .filter((origin) => {
      try {
        const url = new URL(origin);
        return !['http:', 'https:'].includes(url.protocol) || url.origin !== origin;
      } catch {
        return true;
      }
    })
    .map(
      (origin) => `GATEWAY_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like http://host:port`,
    );
}

function checkProxies(entries: string[]): string[] {
  const probe = new BlockList();
  return entries.flatMap((entry) => {
    const [address, prefix] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (family && (bits === undefined || (Number.isInteger(bits) && bits >= 0 && bits <= max))) {
      if (bits !== undefined) probe.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
      return [];
    }
    return [`GATEWAY_TRUSTED_PROXIES: ${JSON.stringify(entry)} is not an IP address or CIDR range`];
  });
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadGatewayConfig(source: EnvSource): GatewayConfig {
  const env = validateConfig(GatewayEnv, source);
  const corsOrigins = splitList(env.GATEWAY_CORS_ORIGINS);
  const trustedProxies = splitList(env.GATEWAY_TRUSTED_PROXIES);
  const problems = [...checkOrigins(corsOrigins), ...checkProxies(trustedProxies)];
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    env,
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    upstreams: { authz: env.AUTHZ_UPSTREAM_URL, mcp: env.MCP_UPSTREAM_URL },
    corsOrigins,
    trustedProxies,
    upstreamTimeoutMs: env.GATEWAY_UPSTREAM_TIMEOUT_MS,
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
    upstreamIdleMs: env.GATEWAY_UPSTREAM_IDLE_MS,
    readinessTimeoutMs: env.GATEWAY_READINESS_TIMEOUT_MS,
  };
}

export const GATEWAY_CONFIG = 'gateway';

export const gatewayConfig = (config: GatewayConfig) => registerAs(GATEWAY_CONFIG, () => config);
