import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  McpServer,
} from '@modelcontextprotocol/server';
import { z } from 'zod';

/** What one request to the echo server carried, as the server saw it. */
export interface EchoRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The JSON-RPC method of a POST (the first of a batch). */
  rpcMethod?: string;
}

export interface EchoMcpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:40123/mcp. */
  readonly url: string;
  readonly requests: EchoRequest[];
  /** Sessions this instance holds in memory (2025 revisions). */
  readonly sessions: ReadonlyMap<string, NodeStreamableHTTPServerTransport>;
  /** Stops at once, cutting open connections (a crash, as far as clients can tell). */
  stop(): Promise<void>;
}

/** A third-party MCP server of the kind users put behind the gateway: two tools, and no authentication at all. */
function echoServer(): McpServer {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Says the text back', inputSchema: z.object({ text: z.string() }) },
    ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }),
  );
  server.registerTool('delete_everything', { description: 'Deletes everything (pretend)' }, () => ({
    content: [{ type: 'text', text: 'everything deleted' }],
  }));
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The echo server on an ephemeral port, written with the official SDK v2 as its documentation composes it: MCP
 * 2026-07-28 requests through `createMcpHandler`, 2025-era ones with sessions kept in this process's memory
 * (NodeStreamableHTTPServerTransport), told apart with `isLegacyRequest`. It records every request's headers.
 */
export async function startEchoMcpServer(): Promise<EchoMcpServer> {
  const modern = toNodeHandler(createMcpHandler(echoServer, { legacy: 'reject' }));
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const requests: EchoRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      const first = Array.isArray(body) ? body[0] : body;
      requests.push({
        method: req.method ?? '',
        headers: req.headers,
        rpcMethod: (first as { method?: string })?.method,
      });
      if ((req.url ?? '').split('?')[0] !== '/mcp') {
        res.writeHead(404).end();
        return;
      }
      if (!(await isLegacyRequest(await toWebRequest(req, body), body))) return modern(req, res, body);
      const id = req.headers['mcp-session-id'];
      const existing = typeof id === 'string' ? sessions.get(id) : undefined;
      if (existing) return existing.handleRequest(req, res, body);
      if (id !== undefined || !isInitializeRequest(first)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
        );
        return;
      }
      const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sessionId) => void sessions.set(sessionId, transport),
        onsessionclosed: (sessionId) => void sessions.delete(sessionId),
      });
      await echoServer().connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  return {
    url,
    requests,
    sessions,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
    },
  };
}
