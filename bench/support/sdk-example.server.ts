import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * The reference the issue measures against: the MCP SDK's stateless example shape, built with the SDK version
 * this project uses (v2). A new McpServer per request behind the SDK's own per-request entry
 * (`createMcpHandler`: 2026-07-28 per request, 2025 statelessly over a fresh transport), on plain node:http,
 * with a jose bearer check in front (RS256 against authz's JWKS, issuer and audience checked) and no logging,
 * metrics or scope checks. It serves the same `add` tool as apps/mcp, so both answer the same request.
 * BENCH_JWKS_URL, BENCH_ISSUER and BENCH_AUDIENCE name what a token must carry.
 */
const jwks = createRemoteJWKSet(new URL(process.env.BENCH_JWKS_URL!));
const expected = { issuer: process.env.BENCH_ISSUER, audience: process.env.BENCH_AUDIENCE };

const mcp = toNodeHandler(
  createMcpHandler(() => {
    const server = new McpServer({ name: 'sdk-example', version: '1.0.0' });
    server.registerTool(
      'add',
      { description: 'Add two numbers.', inputSchema: z.object({ a: z.number(), b: z.number() }) },
      ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
    );
    return server;
  }),
);

function unauthorized(res: import('node:http').ServerResponse): void {
  res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-length': 0 });
  res.end();
}

const server = createServer((req, res) => {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return unauthorized(res);
  jwtVerify(header.slice(7), jwks, { ...expected, algorithms: ['RS256'] }).then(
    () => void mcp(req, res),
    () => unauthorized(res),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
