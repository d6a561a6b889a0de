import { ALL_MCP_SCOPES, MCP_SCOPES } from '@app/scopes';
import { baseScopeFor, METHOD_SCOPES, requiredScopesForBody } from './method-scopes';

describe('method scope map', () => {
  it('maps each guarded MCP method to its base scope', () => {
    expect(baseScopeFor('tools/list')).toBe(MCP_SCOPES.toolsRead);
    expect(baseScopeFor('tools/call')).toBe(MCP_SCOPES.toolsExecute);
    expect(baseScopeFor('resources/list')).toBe(MCP_SCOPES.resourcesList);
    expect(baseScopeFor('resources/templates/list')).toBe(MCP_SCOPES.resourcesList);
    expect(baseScopeFor('resources/read')).toBe(MCP_SCOPES.resourcesRead);
    expect(baseScopeFor('resources/subscribe')).toBe(MCP_SCOPES.resourcesRead);
    expect(baseScopeFor('resources/unsubscribe')).toBe(MCP_SCOPES.resourcesRead);
    expect(baseScopeFor('prompts/list')).toBe(MCP_SCOPES.promptsList);
    expect(baseScopeFor('prompts/get')).toBe(MCP_SCOPES.promptsRead);
  });

  it('needs no scope for lifecycle, logging, completion and notifications', () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'completion/complete']) {
      expect(baseScopeFor(method)).toBeNull();
    }
    expect(baseScopeFor('notifications/initialized')).toBeNull();
    expect(baseScopeFor('notifications/cancelled')).toBeNull();
  });

  it('uses only the six MCP scopes', () => {
    const used = Object.values(METHOD_SCOPES).filter((scope) => scope !== null);
    expect(used.every((scope) => ALL_MCP_SCOPES.includes(scope))).toBe(true);
    expect(new Set(used).size).toBe(6);
  });

  it('does not treat inherited object keys as methods', () => {
    expect(baseScopeFor('constructor')).toBeNull();
    expect(baseScopeFor('__proto__')).toBeNull();
  });

  it('collects the scopes of every message in a batch, with tool extras', () => {
    const body = [
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read_file', arguments: {} } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 3, result: {} },
    ];
    const extras = (call: { method: string; params?: Record<string, unknown> }) =>
      call.method === 'tools/call' && call.params?.name === 'read_file' ? [MCP_SCOPES.resourcesRead] : [];
    expect(requiredScopesForBody(body, extras)).toEqual([
      MCP_SCOPES.toolsRead,
      MCP_SCOPES.toolsExecute,
      MCP_SCOPES.resourcesRead,
    ]);
  });

  it('ignores malformed messages and leaves them to the SDK', () => {
    expect(requiredScopesForBody([null, 3, 'x', { method: 7 }], () => [])).toEqual([]);
    expect(requiredScopesForBody({ method: 'prompts/get', params: [] }, () => [])).toEqual([
      MCP_SCOPES.promptsRead,
    ]);
  });
});
