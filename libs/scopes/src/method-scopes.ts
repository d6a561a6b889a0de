import { MCP_SCOPES, type McpScope } from './mcp-scopes';

/** A JSON-RPC request or notification as far as scope checks care; responses have no method. */
export interface ScopedCall {
  method: string;
  params?: Record<string, unknown>;
}

/** A tool, prompt or resource one call addresses; its own declared scopes (@RequireScopes) add to the method's. */
export type AddressedItem =
  { kind: 'tool'; name: string } | { kind: 'prompt'; name: string } | { kind: 'resource'; uri: string };

/** The scopes an individual item declares, looked up by whoever knows the catalogue (server or gateway). */
export type ItemScopeLookup = (item: AddressedItem) => readonly string[];

/** What one method needs: fixed scopes, plus scopes and items that depend on its params. */
export interface MethodRule {
  /** Needed whatever the params; empty means any valid token. */
  readonly scopes: readonly McpScope[];
  readonly byParams?: (params: Record<string, unknown>) => { scopes?: McpScope[]; items?: AddressedItem[] };
}

const ANY_TOKEN: MethodRule = { scopes: [] };
const needs = (scope: McpScope, byParams?: MethodRule['byParams']): MethodRule => ({
  scopes: [scope],
  byParams,
});
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const named = (kind: 'tool' | 'prompt', name: unknown): AddressedItem[] =>
  str(name) === undefined ? [] : [{ kind, name: name as string }];
const resource = (uri: unknown): AddressedItem[] =>
  str(uri) === undefined ? [] : [{ kind: 'resource', uri: uri as string }];

/**
 * completion/complete (MCP utilities/completion) suggests values of a prompt argument or a resource template
 * variable: it needs the read scope of what it completes, and that item's own scopes.
 */
function completionRule(params: Record<string, unknown>): ReturnType<NonNullable<MethodRule['byParams']>> {
  const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
  if (ref?.type === 'ref/prompt')
    return { scopes: [MCP_SCOPES.promptsRead], items: named('prompt', ref.name) };
  if (ref?.type === 'ref/resource') return { scopes: [MCP_SCOPES.resourcesRead], items: resource(ref.uri) };
  return {};
}

/**
 * subscriptions/listen (MCP 2026-07-28 basic/patterns/subscriptions) opens a stream of the notification types
 * its filter names: each type needs the scope of the list or resource it reports on.
 */
function listenRule(params: Record<string, unknown>): ReturnType<NonNullable<MethodRule['byParams']>> {
  const filter = (params.notifications ?? {}) as Record<string, unknown>;
  const scopes: McpScope[] = [];
  if (filter.toolsListChanged === true) scopes.push(MCP_SCOPES.toolsRead);
  if (filter.promptsListChanged === true) scopes.push(MCP_SCOPES.promptsList);
  if (filter.resourcesListChanged === true) scopes.push(MCP_SCOPES.resourcesList);
  const uris = Array.isArray(filter.resourceSubscriptions) ? filter.resourceSubscriptions : [];
  if (uris.length > 0) scopes.push(MCP_SCOPES.resourcesRead);
  return { scopes, items: uris.flatMap(resource) };
}

/**
 * THE map from JSON-RPC method to what it needs, for the first-party server and (next) for third-party upstreams
 * behind the gateway. The lifecycle (initialize, ping, server/discover) and logging carry no data a scope
 * protects. Methods not listed (unknown or removed ones) are answered "Method not found" by the server and need
 * only a valid token; notifications never need a scope.
 */
export const METHOD_SCOPES: Readonly<Record<string, MethodRule>> = {
  initialize: ANY_TOKEN,
  ping: ANY_TOKEN,
  'server/discover': ANY_TOKEN,
  'logging/setLevel': ANY_TOKEN,
  'completion/complete': { scopes: [], byParams: completionRule },
  'subscriptions/listen': { scopes: [], byParams: listenRule },
  'tools/list': needs(MCP_SCOPES.toolsRead),
  'tools/call': needs(MCP_SCOPES.toolsExecute, (params) => ({ items: named('tool', params.name) })),
  'resources/list': needs(MCP_SCOPES.resourcesList),
  'resources/templates/list': needs(MCP_SCOPES.resourcesList),
  'resources/read': needs(MCP_SCOPES.resourcesRead, (params) => ({ items: resource(params.uri) })),
  'resources/subscribe': needs(MCP_SCOPES.resourcesRead, (params) => ({ items: resource(params.uri) })),
  'resources/unsubscribe': needs(MCP_SCOPES.resourcesRead, (params) => ({ items: resource(params.uri) })),
  'prompts/list': needs(MCP_SCOPES.promptsList),
  'prompts/get': needs(MCP_SCOPES.promptsRead, (params) => ({ items: named('prompt', params.name) })),
};

/** The rule of one method; notifications and unknown methods need nothing. */
export function methodRuleFor(method: string): MethodRule {
  if (method.startsWith('notifications/')) return ANY_TOKEN;
  return Object.hasOwn(METHOD_SCOPES, method) ? METHOD_SCOPES[method] : ANY_TOKEN;
}

/** Every scope one call needs: its method's, those its params select, and those of the items it addresses. */
export function requiredScopesFor(call: ScopedCall, itemScopes: ItemScopeLookup): string[] {
  const rule = methodRuleFor(call.method);
  const needed = new Set<string>(rule.scopes);
  const dependent = rule.byParams?.(call.params ?? {});
  for (const scope of dependent?.scopes ?? []) needed.add(scope);
  for (const item of dependent?.items ?? []) for (const scope of itemScopes(item)) needed.add(scope);
  return [...needed];
}

/** The calls in a POST body (one message or a batch); malformed messages are left for the server to reject. */
export function callsInBody(body: unknown): ScopedCall[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    if (typeof message !== 'object' || message === null) return [];
    const { method, params } = message as { method?: unknown; params?: unknown };
    if (typeof method !== 'string') return [];
    const isObject = typeof params === 'object' && params !== null && !Array.isArray(params);
    return [{ method, params: isObject ? (params as Record<string, unknown>) : undefined }];
  });
}

/** Every scope a POST body needs, so the whole request is refused before any part of it runs. */
export function requiredScopesForBody(body: unknown, itemScopes: ItemScopeLookup): string[] {
  const needed = new Set<string>();
  for (const call of callsInBody(body))
    for (const scope of requiredScopesFor(call, itemScopes)) needed.add(scope);
  return [...needed];
}
