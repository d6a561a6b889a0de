import { canonicalResource, issuerOfMcpResource, knownResource, mcpResourceFor } from './public-urls';

describe('resource indicators (RFC 8707)', () => {
  it('canonicalises scheme and host case, default ports and the empty path', () => {
    expect(canonicalResource('HTTPS://MCP.Example.com/mcp')).toBe('https://mcp.example.com/mcp');
    expect(canonicalResource('https://mcp.example.com:443/mcp')).toBe('https://mcp.example.com/mcp');
    expect(canonicalResource('https://mcp.example.com/')).toBe('https://mcp.example.com');
    expect(canonicalResource('https://mcp.example.com')).toBe('https://mcp.example.com');
    expect(canonicalResource('https://mcp.example.com/MCP')).toBe('https://mcp.example.com/MCP');
  });

  it('refuses fragments, queries, credentials, other schemes and non-URLs', () => {
    expect(canonicalResource('https://mcp.example.com/mcp#f')).toBeUndefined();
    expect(canonicalResource('https://mcp.example.com/mcp?x=1')).toBeUndefined();
    expect(canonicalResource('https://u:p@mcp.example.com/mcp')).toBeUndefined();
    expect(canonicalResource('urn:example:mcp')).toBeUndefined();
    expect(canonicalResource('not a url')).toBeUndefined();
  });

  it('knows the MCP resource on the issuer of the request only, in its canonical form', () => {
    const issuer = 'http://localhost:3002';
    expect(knownResource('http://localhost:3002/mcp', issuer)).toBe('http://localhost:3002/mcp');
    expect(knownResource('HTTP://LOCALHOST:3002/mcp', issuer)).toBe('http://localhost:3002/mcp');
    expect(knownResource('http://localhost:1/mcp', issuer)).toBeUndefined();
    expect(knownResource('https://localhost:3002/mcp', issuer)).toBeUndefined();
    expect(knownResource('http://127.0.0.1:3002/mcp', issuer)).toBeUndefined();
    expect(knownResource('http://localhost:3002/mcp/', issuer)).toBeUndefined();
    expect(knownResource('http://localhost:3002/other', issuer)).toBeUndefined();
    expect(knownResource('https://mcp.example.com/base/mcp', 'https://mcp.example.com/base')).toBe(
      'https://mcp.example.com/base/mcp',
    );
  });

  it('finds the issuer back from the resource of a grant', () => {
    expect(issuerOfMcpResource(mcpResourceFor('http://localhost:3002'))).toBe('http://localhost:3002');
    expect(issuerOfMcpResource(mcpResourceFor('https://a.example/base'))).toBe('https://a.example/base');
    expect(issuerOfMcpResource('https://a.example/other')).toBeUndefined();
  });
});
