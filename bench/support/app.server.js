'use strict';
/**
 * One real app (BENCH_APP = gateway | authz | mcp) as deployed: the compiled build (`npm run build`, dist/), only
 * that app's code loaded, no TypeScript compiler in the process (its heap would count in the app's RSS), on an
 * ephemeral loopback port (BENCH_PORT instead where the port must be known before it starts: a cluster's instance
 * lists). Reports `{ port }` over IPC once it listens. Plain JavaScript for the same reason.
 */
const { join } = require('node:path');

const DIST = join(__dirname, '..', '..', 'dist', 'apps');
const FACTORIES = {
  authz: () => require(join(DIST, 'authz', 'src', 'authz.app.js')).createAuthzApp,
  gateway: () => require(join(DIST, 'gateway', 'src', 'gateway.app.js')).createGatewayApp,
  mcp: () => require(join(DIST, 'mcp', 'src', 'mcp.app.js')).createMcpApp,
};

/**
 * Production-like logging: JSON request logs at info, as NODE_ENV=production logs by default. authz keeps
 * NODE_ENV unset because the benchmark gets its token from the dev-token endpoint, which production refuses.
 * BENCH_LOG_LEVEL=warn measures the apps without their access lines (what the access log costs).
 */
const LOGGING = { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', LOG_FORMAT: 'json' };

async function main() {
  const load = FACTORIES[process.env.BENCH_APP ?? ''];
  if (!load) throw new Error(`BENCH_APP must be one of ${Object.keys(FACTORIES).join(', ')}`);
  const { app } = await load()({ ...process.env, ...LOGGING });
  await app.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1');
  const server = app.getHttpServer();
  process.send?.({ port: server.address().port });
  const stop = () => {
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  // The memory benchmark's question "garbage or a leak?": with --expose-gc, SIGUSR2 runs a full collection.
  if (typeof global.gc === 'function') process.on('SIGUSR2', () => global.gc());
  // The runner is gone (crashed or killed): never linger as an orphan holding a port.
  process.on('disconnect', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
