import { ALL_MCP_SCOPES, MCP_SCOPES } from './mcp-scopes';
import {
  METHOD_SCOPES,
  methodRuleFor,
  requiredScopesFor,
  requiredScopesForBody,
  type AddressedItem,
} from './method-scopes';

const none = () => [] as string[];
const call = (method: string, params?: Record<string, unknown>) =>
  requiredScopesFor({ method, params }, none);

describe('method scope map', () => {
  it('maps each guarded MCP method to its scope', () => {
    expect(call('tools/list')).toEqual([MCP_SCOPES.toolsRead]);
    expect(call('tools/call', { name: 'add' })).toEqual([MCP_SCOPES.toolsExecute]);
    expect(call('resources/list')).toEqual([MCP_SCOPES.resourcesList]);
    expect(call('resources/templates/list')).toEqual([MCP_SCOPES.resourcesList]);
    expect(call('resources/read', { uri: 'file:///a' })).toEqual([MCP_SCOPES.resourcesRead]);
    expect(call('resources/subscribe')).toEqual([MCP_SCOPES.resourcesRead]);
    expect(call('resources/unsubscribe')).toEqual([MCP_SCOPES.resourcesRead]);
    expect(call('prompts/list')).toEqual([MCP_SCOPES.promptsList]);
    expect(call('prompts/get', { name: 'code_review' })).toEqual([MCP_SCOPES.promptsRead]);
  });

  it('needs only a valid token for the lifecycle, discovery, logging and notifications', () => {
    for (const method of ['initialize', 'ping', 'server/discover', 'logging/setLevel']) {
      expect(call(method)).toEqual([]);
    }
    expect(call('notifications/initialized')).toEqual([]);
    expect(call('notifications/cancelled')).toEqual([]);
    expect(call('some/unknown-method')).toEqual([]);
  });

  it('asks completion/complete for the read scope of the prompt or template it completes', () => {
    expect(call('completion/complete', { ref: { type: 'ref/prompt', name: 'code_review' } })).toEqual([
      MCP_SCOPES.promptsRead,
    ]);
    expect(call('completion/complete', { ref: { type: 'ref/resource', uri: 'file:///{+path}' } })).toEqual([
      MCP_SCOPES.resourcesRead,
    ]);
    expect(call('completion/complete', { ref: { type: 'ref/other' } })).toEqual([]);
  });

  it('asks subscriptions/listen for the scope of every notification type its filter names', () => {
    expect(call('subscriptions/listen', { notifications: {} })).toEqual([]);
    expect(
      call('subscriptions/listen', {
        notifications: {
          toolsListChanged: true,
          promptsListChanged: true,
          resourcesListChanged: true,
          resourceSubscriptions: ['file:///README.md'],
        },
      }),
    ).toEqual([
      MCP_SCOPES.toolsRead,
      MCP_SCOPES.promptsList,
      MCP_SCOPES.resourcesList,
      MCP_SCOPES.resourcesRead,
    ]);
    expect(call('subscriptions/listen', { notifications: { toolsListChanged: false } })).toEqual([]);
  });

  it('adds the scopes each addressed tool, prompt or resource declares', () => {
    const seen: AddressedItem[] = [];
    const lookup = (item: AddressedItem) => {
      seen.push(item);
      return item.kind === 'resource' ? ['extra:resource'] : [`extra:${item.kind}`];
    };
    expect(requiredScopesFor({ method: 'tools/call', params: { name: 'read_file' } }, lookup)).toEqual([
      MCP_SCOPES.toolsExecute,
      'extra:tool',
    ]);
    requiredScopesFor(
      {
        method: 'subscriptions/listen',
        params: { notifications: { resourceSubscriptions: ['a://1', 'b://2'] } },
      },
      lookup,
    );
    requiredScopesFor(
      { method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'p' } } },
      lookup,
    );
    expect(seen).toEqual([
      { kind: 'tool', name: 'read_file' },
      { kind: 'resource', uri: 'a://1' },
      { kind: 'resource', uri: 'b://2' },
      { kind: 'prompt', name: 'p' },
    ]);
  });

  it('uses only the six MCP scopes', () => {
    const used = Object.values(METHOD_SCOPES).flatMap((rule) => rule.scopes);
    expect(used.every((scope) => ALL_MCP_SCOPES.includes(scope))).toBe(true);
    expect(new Set(used).size).toBe(6);
  });

  it('does not treat inherited object keys as methods', () => {
    expect(methodRuleFor('constructor').scopes).toEqual([]);
    expect(methodRuleFor('__proto__').scopes).toEqual([]);
  });

  it('collects the scopes of every message in a batch, with item extras', () => {
    const body = [
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read_file', arguments: {} } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 3, result: {} },
    ];
    const extras = (item: AddressedItem) =>
      item.kind === 'tool' && item.name === 'read_file' ? [MCP_SCOPES.resourcesRead] : [];
    expect(requiredScopesForBody(body, extras)).toEqual([
      MCP_SCOPES.toolsRead,
      MCP_SCOPES.toolsExecute,
      MCP_SCOPES.resourcesRead,
    ]);
  });

  it('ignores malformed messages and leaves them to the server', () => {
    expect(requiredScopesForBody([null, 3, 'x', { method: 7 }], none)).toEqual([]);
    expect(requiredScopesForBody({ method: 'prompts/get', params: [] }, none)).toEqual([
      MCP_SCOPES.promptsRead,
    ]);
    expect(
      requiredScopesForBody({ method: 'subscriptions/listen', params: { notifications: 3 } }, none),
    ).toEqual([]);
  });
});
