import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { closeMirror, mirrorOnIpv6Loopback } from '@app/runtime';
import { createAuthzApp } from '../../apps/authz/src/authz.app';
import { TEST_KEYS_ENCRYPTION_KEY } from '../../apps/authz/test/support/authz-harness';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { createMcpApp } from '../../apps/mcp/src/mcp.app';
import { reservePort } from './ports';

export type Env = Record<string, string | undefined>;

/** The two host names a local client reaches the gateway by; each must get URLs on its own host. */
export type LoopbackHost = 'localhost' | '127.0.0.1';
export const LOOPBACK_HOSTS: readonly LoopbackHost[] = ['localhost', '127.0.0.1'];

export interface StackOptions {
  /** The gateway's port, when it must be known before the stack starts (e.g. registered at a provider). */
  gatewayPort?: number;
  /** Added to every app's env (after the harness defaults). */
  common?: Env;
  authz?: Env;
  mcp?: Env;
  gateway?: Env;
}

export interface Stack {
  readonly gatewayPort: number;
  /** Internal (non-public) authz origin, e.g. for /internal/grants/{id}. */
  readonly authzUrl: string;
  readonly mcpUpstreamUrl: string;
  readonly dataDir: string;
  /** The gateway's public base URL on one alias, without a trailing slash. */
  baseUrl(host?: LoopbackHost): string;
  /** `${baseUrl(host)}/mcp`, the protected resource. */
  mcpUrl(host?: LoopbackHost): string;
  /** Stops authz and starts it again on the same port and data dir (persisted keys, fresh memory). */
  restartAuthz(): Promise<void>;
  /** Stops mcp and starts it again on the same port (empty caches, a new revocation channel). */
  restartMcp(): Promise<void>;
  /** The running apps, for their providers (the current instance after a restart). */
  authzApp(): INestApplication;
  mcpApp(): INestApplication;
  gatewayApp(): INestApplication;
  stop(): Promise<void>;
}

const quiet: Env = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };

async function listen(app: INestApplication, port: number): Promise<number> {
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return address.port;
}

/**
 * Starts authz, mcp and the gateway in this process on ephemeral loopback ports, wired exactly as in
 * production: the gateway is the only public entry and PUBLIC_URL is the gateway's own URL.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const gatewayPort = options.gatewayPort ?? (await reservePort());
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-e2e-authz-'));
  const common: Env = {
    ...quiet,
    PUBLIC_URL: `http://localhost:${gatewayPort}`,
    ...options.common,
  };

  const authzEnv = (port: number): Env => ({
    ...common,
    AUTHZ_PORT: String(port),
    AUTHZ_HOST: '127.0.0.1',
    AUTHZ_DATA_DIR: dataDir,
    AUTHZ_KEYS_ENCRYPTION_KEY: TEST_KEYS_ENCRYPTION_KEY,
    ...options.authz,
  });
  let authz = (await createAuthzApp(authzEnv(0))).app;
  const authzPort = await listen(authz, 0);
  const authzUrl = `http://127.0.0.1:${authzPort}`;

  const mcpEnv = (port: number): Env => ({
    ...common,
    MCP_PORT: String(port),
    MCP_HOST: '127.0.0.1',
    AUTHZ_INTERNAL_URL: authzUrl,
    ...options.mcp,
  });
  let mcp = (await createMcpApp(mcpEnv(0))).app;
  const mcpPort = await listen(mcp, 0);
  const mcpUpstreamUrl = `http://127.0.0.1:${mcpPort}`;

  const gateway = (
    await createGatewayApp({
      ...common,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_HOST: '127.0.0.1',
      AUTHZ_UPSTREAM_URL: authzUrl,
      MCP_UPSTREAM_URL: mcpUpstreamUrl,
      ...options.gateway,
    })
  ).app;
  await listen(gateway, gatewayPort);
  // Browsers (Chromium resolves `localhost` itself) may try ::1 first, as the production loopback default serves.
  const ipv6Mirror = await mirrorOnIpv6Loopback(gateway.getHttpServer() as Server, gatewayPort);

  const baseUrl = (host: LoopbackHost = 'localhost') => `http://${host}:${gatewayPort}`;
  return {
    gatewayPort,
    authzUrl,
    mcpUpstreamUrl,
    dataDir,
    baseUrl,
    mcpUrl: (host) => `${baseUrl(host)}/mcp`,
    async restartAuthz() {
      await authz.close();
      authz = (await createAuthzApp(authzEnv(authzPort))).app;
      await listen(authz, authzPort);
    },
    async restartMcp() {
      await mcp.close();
      mcp = (await createMcpApp(mcpEnv(mcpPort))).app;
      await listen(mcp, mcpPort);
    },
    authzApp: () => authz,
    mcpApp: () => mcp,
    gatewayApp: () => gateway,
    async stop() {
      await closeMirror(ipv6Mirror);
      await gateway.close();
      await mcp.close();
      await authz.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
