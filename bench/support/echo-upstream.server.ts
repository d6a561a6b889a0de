import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

/**
 * A third-party MCP server with no authentication, the kind `GATEWAY_RESOURCES_FILE` protects: the official SDK
 * v2 (2026-07-28 per request, 2025 statelessly), one `echo` tool, on any path, so the same request serves the
 * direct run and the gateway's.
 */
const handler = toNodeHandler(
  createMcpHandler(() => {
    const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
    server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    return server;
  }),
);

const server = createServer((req, res) => void handler(req, res));
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
