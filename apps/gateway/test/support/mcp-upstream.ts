import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { TestUpstream, type SeenRequest, type UpstreamHandler } from './test-upstream';

/** What the canned MCP upstream lists. */
export const LISTS: Record<string, Record<string, unknown>> = {
  'tools/list': {
    tools: [{ name: 'echo' }, { name: 'delete_everything' }, { name: 'debug' }],
  },
  'prompts/list': { prompts: [{ name: 'greeting' }, { name: 'secret' }] },
  'resources/list': { resources: [{ uri: 'file:///public.txt' }, { uri: 'file:///secret/plans.txt' }] },
  'resources/templates/list': {
    resourceTemplates: [{ uriTemplate: 'file:///public/{name}' }, { uriTemplate: 'file:///secret/{name}' }],
    cacheScope: 'public',
    ttlMs: 60_000,
  },
};

type Message = { jsonrpc: '2.0'; id?: unknown; method?: string; params?: Record<string, unknown> };

function answer(message: Message): unknown {
  if (message.id === undefined) return undefined;
  const method = message.method ?? '';
  const result =
    LISTS[method] ??
    (method === 'tools/call'
      ? { content: [{ type: 'text', text: `called ${String(message.params?.name)}` }] }
      : {});
  return { jsonrpc: '2.0', id: message.id, result: structuredClone(result) };
}

/**
 * A stand-in MCP server that answers from a fixed catalogue (JSON by default, SSE on `sse`), hands out a session
 * id on initialize, and records what reached it: enough to see exactly what the gateway forwards and rewrites.
 */
export function mcpHandler(options: { sse?: boolean } = {}): UpstreamHandler {
  return (_req, res: ServerResponse, seen: SeenRequest) => {
    let body: Message | Message[];
    try {
      body = JSON.parse(seen.body || '{}') as Message | Message[];
    } catch {
      res.statusCode = 400;
      return void res.end();
    }
    const messages = Array.isArray(body) ? body : [body];
    const answers = messages.map(answer).filter((one) => one !== undefined);
    if (messages.some((message) => message.method === 'initialize'))
      res.setHeader('Mcp-Session-Id', randomUUID());
    if (answers.length === 0) {
      res.statusCode = 202;
      return void res.end();
    }
    const payload = Array.isArray(body) ? answers : answers[0];
    if (!options.sse) {
      res.setHeader('Content-Type', 'application/json');
      return void res.end(JSON.stringify(payload));
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    // A notification first, then the answer cut in two chunks mid-event, as a real stream may arrive.
    res.write(': a comment\n\n');
    res.write(
      `id: 1\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { data: 'hi' } })}\n\n`,
    );
    const event = `id: 2\nevent: message\ndata: ${JSON.stringify(payload)}\n\n`;
    res.write(event.slice(0, 25));
    setTimeout(() => res.end(event.slice(25)), 20);
  };
}

export async function startMcpUpstream(name: string, options: { sse?: boolean } = {}): Promise<TestUpstream> {
  const upstream = await new TestUpstream(name).start();
  upstream.handler = mcpHandler(options);
  return upstream;
}
