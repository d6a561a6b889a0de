import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EnvSource } from '@app/config';
import type { StartedApp } from '@app/runtime';
import { createAuthzApp } from '../../apps/authz/src/authz.app';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { createMcpApp } from '../../apps/mcp/src/mcp.app';

type Factory = (env: EnvSource) => Promise<StartedApp>;

const FACTORIES: Record<string, Factory> = {
  authz: createAuthzApp,
  gateway: createGatewayApp,
  mcp: createMcpApp,
};

/**
 * Production-like logging: JSON request logs at info, as NODE_ENV=production logs by default. authz keeps
 * NODE_ENV unset because the benchmark gets its token from the dev-token endpoint, which production refuses.
 */
const LOGGING = { LOG_LEVEL: 'info', LOG_FORMAT: 'json' };

/**
 * One real app (BENCH_APP = gateway | authz | mcp), configured from the environment the runner passes in,
 * on an ephemeral loopback port. Reports `{ port }` over IPC once it listens.
 */
async function main(): Promise<void> {
  const factory = FACTORIES[process.env.BENCH_APP ?? ''];
  if (!factory) throw new Error(`BENCH_APP must be one of ${Object.keys(FACTORIES).join(', ')}`);
  const { app } = await factory({ ...process.env, ...LOGGING });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  process.send?.({ port: (server.address() as AddressInfo).port });
  const stop = () => {
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  // The runner is gone (crashed or killed): never linger as an orphan holding a port.
  process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
