import { postMcp } from './mcp-harness';

export const MODERN_VERSION = '2026-07-28';

/** The reserved `_meta` envelope every 2026-07-28 request carries (basic/index, "_meta"). */
export const envelope = (capabilities: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'mcp-e2e', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': capabilities,
});

/** A 2026-07-28 request as a conforming client sends it: envelope in the body, SEP-2243 standard headers. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, id: number | string = 7) {
  const named =
    method === 'resources/read'
      ? params.uri
      : ['tools/call', 'prompts/get'].includes(method)
        ? params.name
        : undefined;
  return {
    body: {
      jsonrpc: '2.0',
      id,
      method,
      params: { ...params, _meta: { ...envelope(), ...(params._meta as object) } },
    },
    headers: {
      'MCP-Protocol-Version': MODERN_VERSION,
      'Mcp-Method': method,
      ...(typeof named === 'string' ? { 'Mcp-Name': named } : {}),
    },
  };
}

export interface ModernReply {
  status: number;
  headers: Headers;
  /** The JSON-RPC response (from a JSON body, or the last message of an SSE stream). */
  message: {
    id?: unknown;
    result?: Record<string, unknown>;
    error?: { code: number; message: string; data?: unknown };
  };
  /** Every JSON-RPC message received, notifications included. */
  messages: Record<string, unknown>[];
}

/** POSTs a 2026-07-28 request to `<base>/mcp` and reads whatever came back, JSON or SSE. */
export async function postModern(
  base: string,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<ModernReply> {
  const { body, headers } = modernRequest(method, params);
  const response = await postMcp(base, body, {
    Authorization: `Bearer ${token}`,
    ...headers,
    ...extraHeaders,
  });
  const text = await response.text();
  const messages = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:') && line.length > 6)
        .map((line) => JSON.parse(line.slice(5)) as Record<string, unknown>)
    : text
      ? [JSON.parse(text) as Record<string, unknown>]
      : [];
  return { status: response.status, headers: response.headers, message: messages.at(-1) ?? {}, messages };
}
