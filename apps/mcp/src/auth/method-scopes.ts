import { MCP_SCOPES, type McpScope } from '@app/scopes';

/**
 * THE map from JSON-RPC method to the scope it needs. `null` means any valid token: the lifecycle (initialize,
 * ping), logging and completion carry no data a scope protects. Methods not listed are answered by the SDK
 * (usually -32601 Method not found) and need only a valid token too.
 */
export const METHOD_SCOPES: Readonly<Record<string, McpScope | null>> = {
  initialize: null,
  ping: null,
  'logging/setLevel': null,
  'completion/complete': null,
  'tools/list': MCP_SCOPES.toolsRead,
  'tools/call': MCP_SCOPES.toolsExecute,
  'resources/list': MCP_SCOPES.resourcesList,
  'resources/templates/list': MCP_SCOPES.resourcesList,
  'resources/read': MCP_SCOPES.resourcesRead,
  'resources/subscribe': MCP_SCOPES.resourcesRead,
  'resources/unsubscribe': MCP_SCOPES.resourcesRead,
  'prompts/list': MCP_SCOPES.promptsList,
  'prompts/get': MCP_SCOPES.promptsRead,
};

/** The scope a single method needs, if any. Notifications (`notifications/*`) never need one. */
export function baseScopeFor(method: string): McpScope | null {
  if (method.startsWith('notifications/')) return null;
  return Object.hasOwn(METHOD_SCOPES, method) ? METHOD_SCOPES[method] : null;
}

/** A JSON-RPC request or notification as far as scope checks care; responses have no method. */
export interface ScopedCall {
  method: string;
  params?: Record<string, unknown>;
}

/** Extra scopes an individual tool, resource or prompt declares with @RequireScopes. */
export type ExtraScopeLookup = (call: ScopedCall) => readonly string[];

function callsIn(body: unknown): ScopedCall[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    if (typeof message !== 'object' || message === null) return [];
    const { method, params } = message as { method?: unknown; params?: unknown };
    if (typeof method !== 'string') return [];
    const isObject = typeof params === 'object' && params !== null && !Array.isArray(params);
    return [{ method, params: isObject ? (params as Record<string, unknown>) : undefined }];
  });
}

/**
 * Every scope a POST body (one message or a batch) needs, so the whole request is refused before the SDK runs
 * any part of it. Malformed messages are left for the SDK to reject with a JSON-RPC error.
 */
export function requiredScopesForBody(body: unknown, extras: ExtraScopeLookup): string[] {
  const needed = new Set<string>();
  for (const call of callsIn(body)) {
    const base = baseScopeFor(call.method);
    if (base) needed.add(base);
    for (const scope of extras(call)) needed.add(scope);
  }
  return [...needed];
}
