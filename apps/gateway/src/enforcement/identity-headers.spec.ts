import type { VerifiedAccessToken } from '@app/resource-server';
import { headerValue, identityHeaders, stripIdentityHeaders } from './identity-headers';

describe('identity headers (forward: headers)', () => {
  it('sends printable ASCII as is and anything else in the MCP Base64 form', () => {
    expect(headerValue('alice')).toBe('alice');
    expect(headerValue('Zoë')).toBe(`=?base64?${Buffer.from('Zoë').toString('base64')}?=`);
    expect(headerValue('a\r\nX-Evil: 1')).toMatch(/^=\?base64\?/);
    expect(headerValue(' padded')).toMatch(/^=\?base64\?/);
  });

  it('carries the federated identity claims when the token has them', () => {
    const token = {
      subject: 'github|1',
      clientId: 'c',
      scopes: ['mcp:tools:read'],
      claims: { idp: 'github', email: 'a@b.c', email_verified: true, name: 'Ann', groups: ['x', 'y'] },
    } as unknown as VerifiedAccessToken;
    expect(identityHeaders(token, 'jws')).toEqual({
      'x-mcp-subject': 'github|1',
      'x-mcp-client-id': 'c',
      'x-mcp-scopes': 'mcp:tools:read',
      'x-mcp-identity': 'jws',
      'x-mcp-idp': 'github',
      'x-mcp-email': 'a@b.c',
      'x-mcp-email-verified': 'true',
      'x-mcp-name': 'Ann',
      'x-mcp-groups': '["x","y"]',
    });
  });

  it('removes every X-MCP-* header a client sent, and nothing else', () => {
    const headers = { 'x-mcp-subject': 'mallory', 'x-mcp-anything': '1', 'mcp-session-id': 's', host: 'h' };
    stripIdentityHeaders(headers);
    expect(headers).toEqual({ 'mcp-session-id': 's', host: 'h' });
  });
});
