import { parseProtectedResources, DEFAULT_RESOURCE } from '@app/protected-resources';
import { canonicalResource } from './public-urls';
import { ResourceCatalog } from './resource-catalog';

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

  const bundled = new ResourceCatalog([DEFAULT_RESOURCE]);
  const known = (resource: string, issuer: string, catalog = bundled) => catalog.find(resource, issuer)?.url;

  it('knows the MCP resource on the issuer of the request only, in its canonical form', () => {
    const issuer = 'http://localhost:3002';
    expect(known('http://localhost:3002/mcp', issuer)).toBe('http://localhost:3002/mcp');
    expect(known('HTTP://LOCALHOST:3002/mcp', issuer)).toBe('http://localhost:3002/mcp');
    expect(known('http://localhost:1/mcp', issuer)).toBeUndefined();
    expect(known('http://localhost:30021/mcp', issuer)).toBeUndefined();
    expect(known('https://localhost:3002/mcp', issuer)).toBeUndefined();
    expect(known('http://127.0.0.1:3002/mcp', issuer)).toBeUndefined();
    expect(known('http://localhost:3002/mcp/', issuer)).toBeUndefined();
    expect(known('http://localhost:3002/other', issuer)).toBeUndefined();
    expect(known('https://mcp.example.com/base/mcp', 'https://mcp.example.com/base')).toBe(
      'https://mcp.example.com/base/mcp',
    );
  });

  const file = new ResourceCatalog(
    parseProtectedResources([
      { path: '/mcp' },
      { path: '/echo/mcp', upstream: 'http://127.0.0.1:1/mcp', name: 'Echo', scopes: ['echo:admin'] },
      { path: '/tools', upstream: 'http://127.0.0.1:2', scopes: ['tools:write'] },
    ]),
  );

  it('knows every path of the resources file, and nothing between them', () => {
    const issuer = 'http://localhost:3002';
    expect(known('http://localhost:3002/echo/mcp', issuer, file)).toBe('http://localhost:3002/echo/mcp');
    expect(known('HTTP://localhost:3002/tools', issuer, file)).toBe('http://localhost:3002/tools');
    expect(known('http://localhost:3002/echo', issuer, file)).toBeUndefined();
    expect(known('http://localhost:3002/ECHO/mcp', issuer, file)).toBeUndefined();
    expect(file.defaultFor(issuer).url).toBe('http://localhost:3002/mcp');
    expect(new ResourceCatalog(file.entries.slice(1)).defaultFor(issuer).url).toBe(
      'http://localhost:3002/echo/mcp',
    );
  });

  it('grants each resource its own scopes besides the MCP scopes and offline_access', () => {
    expect(file.grantableScopes).toEqual(
      expect.arrayContaining(['echo:admin', 'tools:write', 'offline_access']),
    );
    expect(file.isGrantable('echo:admin')).toBe(true);
    expect(file.isGrantable('nope')).toBe(false);
    const echo = file.find('http://localhost:3002/echo/mcp', 'http://localhost:3002')!.entry;
    expect(file.scopesFor(echo).has('echo:admin')).toBe(true);
    expect(file.scopesFor(echo).has('tools:write')).toBe(false);
    expect(file.scopesFor(echo).has('offline_access')).toBe(true);
  });

  it('finds the issuer back from the resource of a grant', () => {
    expect(bundled.issuerOf('http://localhost:3002/mcp')).toBe('http://localhost:3002');
    expect(bundled.issuerOf('https://a.example/base/mcp')).toBe('https://a.example/base');
    expect(bundled.issuerOf('https://a.example/other')).toBeUndefined();
    expect(file.issuerOf('https://a.example/base/echo/mcp')).toBe('https://a.example/base');
  });

  it('accepts the path-inserted metadata form of each resource', () => {
    expect(file.isResourcePath('/echo/mcp', '')).toBe(true);
    expect(file.isResourcePath('/base/echo/mcp', '/base')).toBe(true);
    expect(file.isResourcePath('/echo', '')).toBe(false);
  });
});
