import { ALL_MCP_SCOPES } from '@app/scopes';
import { requestedScopes } from './requested-scopes';

const ALL = [...ALL_MCP_SCOPES];

describe('requested scopes (RFC 6749 §3.3)', () => {
  it('splits on any whitespace and ignores leading and trailing space', () => {
    expect(requestedScopes('  mcp:tools:read\tmcp:tools:execute\n', ALL, ALL)).toEqual([
      'mcp:tools:read',
      'mcp:tools:execute',
    ]);
  });

  it('drops unknown scopes while a known one remains', () => {
    expect(requestedScopes('openid mcp:tools:read profile', ALL, ALL)).toEqual(['mcp:tools:read']);
  });

  it('refuses a request with no known scope at all', () => {
    expect(requestedScopes('openid profile', ALL, ALL)).toMatchObject({ errorCode: 'invalid_scope' });
  });

  it('uses the registered scopes when none is asked for', () => {
    expect(requestedScopes(undefined, ['mcp:tools:read', 'junk'], ALL)).toEqual(['mcp:tools:read']);
    expect(requestedScopes('', ['mcp:tools:read'], ALL)).toEqual(['mcp:tools:read']);
    expect(requestedScopes(undefined, [], ALL)).toMatchObject({ errorCode: 'invalid_scope' });
  });

  it('refuses a known scope beyond the ceiling', () => {
    expect(requestedScopes('mcp:tools:execute', ALL, ['mcp:tools:read'])).toMatchObject({
      errorCode: 'invalid_scope',
    });
  });

  it('grants offline_access beside MCP scopes, and with the registered ones when asked alone', () => {
    expect(requestedScopes('mcp:tools:read offline_access', ALL, ALL)).toEqual([
      'mcp:tools:read',
      'offline_access',
    ]);
    expect(requestedScopes('offline_access', ['mcp:tools:read'], ALL)).toEqual([
      'mcp:tools:read',
      'offline_access',
    ]);
    expect(requestedScopes('offline_access', [], ALL)).toMatchObject({ errorCode: 'invalid_scope' });
  });

  it("grants a resource's own scopes for that resource only", () => {
    const echo = new Set([...ALL, 'echo:admin', 'offline_access']);
    const ceiling = [...ALL, 'echo:admin'];
    expect(requestedScopes('mcp:tools:read echo:admin', ceiling, ceiling, echo)).toEqual([
      'mcp:tools:read',
      'echo:admin',
    ]);
    // Asked of /mcp, echo:admin is a scope that resource does not know: dropped.
    expect(requestedScopes('mcp:tools:read echo:admin', ceiling, ceiling)).toEqual(['mcp:tools:read']);
    expect(requestedScopes('echo:admin', ALL, ALL, echo)).toMatchObject({ errorCode: 'invalid_scope' });
  });

  it('refuses a repeated scope parameter as malformed', () => {
    expect(requestedScopes(null, ALL, ALL)).toMatchObject({ errorCode: 'invalid_request' });
  });
});
