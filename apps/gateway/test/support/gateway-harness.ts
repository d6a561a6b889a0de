import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createGatewayApp } from '../../src/gateway.app';
import { TestUpstream } from './test-upstream';

export interface GatewayUnderTest {
  app: NestExpressApplication;
  port: number;
  authz: TestUpstream;
  mcp: TestUpstream;
  close(): Promise<void>;
}

/** The real gateway on an ephemeral port, in front of two recording upstreams. */
export async function startGateway(env: Record<string, string> = {}): Promise<GatewayUnderTest> {
  const authz = await new TestUpstream('authz').start();
  const mcp = await new TestUpstream('mcp').start();
  const { app } = await createGatewayApp({
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    AUTHZ_UPSTREAM_URL: authz.url,
    MCP_UPSTREAM_URL: mcp.url,
    ...env,
  });
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  return {
    app,
    port,
    authz,
    mcp,
    close: async () => {
      (app.getHttpServer() as Server).closeAllConnections();
      await app.close();
      await Promise.all([authz.stop(), mcp.stop()]);
    },
  };
}
