import { isToolHidden, itemScopeLookup, type ProtectedResource } from '@app/protected-resources';
import { missingScopes, type AddressedItem } from '@app/scopes';

/** The list methods whose answers name items a token may or may not use, and where each names them. */
const LISTS = {
  'tools/list': { field: 'tools', item: (entry: Item) => named('tool', entry.name) },
  'prompts/list': { field: 'prompts', item: (entry: Item) => named('prompt', entry.name) },
  'resources/list': { field: 'resources', item: (entry: Item) => uri(entry.uri) },
  // A template is matched as written: a pattern `file:///secret/*` covers `file:///secret/{path}`.
  'resources/templates/list': { field: 'resourceTemplates', item: (entry: Item) => uri(entry.uriTemplate) },
} as const;
type ListMethod = keyof typeof LISTS;

interface Item {
  name?: unknown;
  uri?: unknown;
  uriTemplate?: unknown;
}

const named = (kind: 'tool' | 'prompt', name: unknown): AddressedItem | undefined =>
  typeof name === 'string' ? { kind, name } : undefined;
const uri = (value: unknown): AddressedItem | undefined =>
  typeof value === 'string' ? { kind: 'resource', uri: value } : undefined;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The list requests of one POST (by JSON-RPC id) and what the token may see: the answers to those requests are
 * rewritten to drop every item the token could not use (a tool hidden by allowTools/denyTools, or needing a scope
 * the token lacks), so a client is never offered what it would be refused. Other messages pass untouched.
 */
export class ListAnswers {
  private constructor(
    private readonly requests: ReadonlyMap<unknown, ListMethod>,
    private readonly visible: (item: AddressedItem) => boolean,
  ) {}

  /** Undefined when none of the JSON-RPC `messages` of a POST is a list request. */
  static of(
    messages: readonly unknown[],
    resource: ProtectedResource,
    scopes: readonly string[],
  ): ListAnswers | undefined {
    let requests: Map<unknown, ListMethod> | undefined;
    for (const message of messages) {
      if (!isObject(message) || message.id === undefined || typeof message.method !== 'string') continue;
      if (Object.hasOwn(LISTS, message.method))
        (requests ??= new Map()).set(message.id, message.method as ListMethod);
    }
    if (!requests) return undefined;
    const lookup = itemScopeLookup(resource);
    const visible = (item: AddressedItem) =>
      !(item.kind === 'tool' && isToolHidden(resource, item.name)) &&
      missingScopes(scopes, lookup(item)).length === 0;
    return new ListAnswers(requests, visible);
  }

  /** Whether this message is an answer to one of the list requests (so it needs rewriting). */
  concerns(message: unknown): boolean {
    return isObject(message) && this.requests.has(message.id) && isObject(message.result);
  }

  /** A JSON-RPC message or batch with the list answers filtered (in place); the same value otherwise. */
  rewrite(message: unknown): unknown {
    if (Array.isArray(message)) return message.map((one) => this.rewrite(one));
    if (!this.concerns(message)) return message;
    const { id, result } = message as { id: unknown; result: Record<string, unknown> };
    const list = LISTS[this.requests.get(id)!];
    const items = result[list.field];
    if (!Array.isArray(items)) return message;
    const kept = items.filter((entry: unknown) => {
      const item = isObject(entry) ? list.item(entry as Item) : undefined;
      return item !== undefined && this.visible(item);
    });
    if (kept.length !== items.length) {
      result[list.field] = kept;
      // MCP 2026-07-28 cache hints: a list cut to this token's measure is for this client alone.
      if (result.cacheScope !== undefined) result.cacheScope = 'private';
    }
    return message;
  }
}
