import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FakeAuthz } from '@app/resource-server/testing';
import { createGatewayApp } from '../../src/gateway.app';

export interface EnforcingGateway {
  app: NestExpressApplication;
  port: number;
  /** The base a client on 127.0.0.1 uses: the issuer its tokens must carry. */
  base: string;
  authz: FakeAuthz;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The real gateway with a resources file, checking tokens against a FakeAuthz (real JWKS, grant status and
 * revocation stream). `resources(authz)` builds the file's entries; PUBLIC_URL is the gateway's own 127.0.0.1 URL.
 */
export async function startEnforcingGateway(
  resources: unknown[],
  env: Record<string, string> = {},
): Promise<EnforcingGateway> {
  const authz = await FakeAuthz.start();
  const dir = await mkdtemp(join(tmpdir(), 'gateway-resources-'));
  const file = join(dir, 'resources.json');
  await writeFile(file, JSON.stringify({ resources }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { app } = await createGatewayApp({
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    PUBLIC_URL: base,
    AUTHZ_UPSTREAM_URL: authz.url,
    GATEWAY_RESOURCES_FILE: file,
    ...env,
  });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    port,
    base,
    authz,
    close: async () => {
      (app.getHttpServer() as Server).closeAllConnections();
      await app.close();
      await authz.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON-RPC POST as MCP clients send it. */
export function rpc(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
