import type { AccessLogFields } from '@app/runtime';
import type { McpRequest } from './mcp-request';

type Message = { method?: unknown; params?: { name?: unknown } } | null;

/**
 * What an /mcp request's access line says beyond method, path and status: its JSON-RPC method(s), the tool a
 * tools/call names, and who called (the token's subject and client). Bounded: a batch lists each method once.
 */
export function callSummary(req: McpRequest): AccessLogFields {
  const messages: Message[] =
    req.body === undefined ? [] : Array.isArray(req.body) ? req.body : [req.body as Message];
  const methods = [
    ...new Set(messages.map((message) => message?.method).filter((m) => typeof m === 'string')),
  ];
  const tools = messages
    .filter((message) => message?.method === 'tools/call' && typeof message.params?.name === 'string')
    .map((message) => message!.params!.name as string);
  return {
    jsonrpc_method: methods.length > 0 ? methods.slice(0, 10).join(',') : undefined,
    tool: tools.length > 0 ? [...new Set(tools)].slice(0, 10).join(',') : undefined,
    sub: req.auth?.extra.sub,
    client_id: req.auth?.clientId,
  };
}
