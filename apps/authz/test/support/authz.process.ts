import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthzApp } from '../../src/authz.app';

/**
 * authz alone in a process, for tests that measure it: forked by startAuthzProcess with --expose-gc. Reports
 * `{ port }` once it listens; answers `'memory'` with its memory usage after a full collection.
 */
async function main(): Promise<void> {
  const { app } = await createAuthzApp(process.env);
  await app.listen(0, '127.0.0.1');
  process.send?.({ port: ((app.getHttpServer() as Server).address() as AddressInfo).port });
  process.on('message', (message) => {
    if (message !== 'memory') return;
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ memory: process.memoryUsage() });
  });
  // The test is gone or done: never linger holding a port.
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
