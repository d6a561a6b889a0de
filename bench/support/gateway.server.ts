import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';

/** The real gateway, configured from the environment the runner passes in, on an ephemeral port. */
async function main(): Promise<void> {
  const { app } = await createGatewayApp({ ...process.env, LOG_LEVEL: 'silent' });
  await app.listen(0, '127.0.0.1');
  process.send?.({ port: ((app.getHttpServer() as Server).address() as AddressInfo).port });
  process.on('SIGTERM', () => {
    (app.getHttpServer() as Server).closeAllConnections();
    void app.close().finally(() => process.exit(0));
  });
}

void main();
