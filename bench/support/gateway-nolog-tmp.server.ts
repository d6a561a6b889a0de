import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { FrontDoorService } from '../../apps/gateway/src/proxy/front-door.service';
async function main(): Promise<void> {
  const { app } = await createGatewayApp({ ...process.env, LOG_LEVEL: 'silent' });
  (app.get(FrontDoorService) as any).httpLogger = () => undefined;
  await app.listen(0, '127.0.0.1');
  process.send?.({ port: ((app.getHttpServer() as Server).address() as AddressInfo).port });
  process.on('SIGTERM', () => process.exit(0));
}
void main();
