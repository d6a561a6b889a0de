import type { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { createMcpApp } from '../../src/mcp.app';
import { FakeAuthz } from './fake-authz';

export interface Harness {
  app: INestApplication;
  authz: FakeAuthz;
  /** e.g. http://127.0.0.1:41234: an alias, so it is also the issuer the tokens must carry. */
  base: string;
  close(): Promise<void>;
}

/** Starts a fake authz and the mcp app on ephemeral ports, with quiet logs and a short JWKS cooldown. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const authz = await FakeAuthz.start();
  const { app } = await createMcpApp({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTHZ_INTERNAL_URL: authz.url,
    MCP_JWKS_COOLDOWN_MS: '0',
    ...env,
  });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app,
    authz,
    base,
    close: async () => {
      await app.close();
      await authz.close();
    },
  };
}

export async function connectClient(
  base: string,
  token: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'mcp-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A raw POST /mcp, for the status codes and headers the SDK client hides. */
export function postMcp(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
  path = '/mcp',
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}
