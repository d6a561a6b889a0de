import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWorkspaceRoot, loadMcpConfig } from './mcp.config';

describe('loadMcpConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadMcpConfig({});
    expect(config.port).toBe(3004);
    expect(config.host).toBe('127.0.0.1');
    expect(config.authzInternalUrls).toEqual(['http://127.0.0.1:3003']);
    expect(config.stateless).toBe(false);
    expect(config.allowedOrigins).toEqual(['http://localhost:6274', 'http://127.0.0.1:6274']);
    expect(config.allowedHosts).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(existsSync(join(config.fsRoot, 'README.md'))).toBe(true);
  });

  it('reads booleans literally', () => {
    expect(loadMcpConfig({ MCP_STATELESS: 'true' }).stateless).toBe(true);
    expect(loadMcpConfig({ MCP_STATELESS: 'false' }).stateless).toBe(false);
    expect(() => loadMcpConfig({ MCP_STATELESS: 'yes' })).toThrow(/MCP_STATELESS/);
  });

  it('adds PUBLIC_URL and extra hosts to the allowed hosts and normalises origins', () => {
    const config = loadMcpConfig({
      PUBLIC_URL: 'https://mcp.example.com',
      MCP_ALLOWED_HOSTS: 'Internal.Example',
      MCP_ALLOWED_ORIGINS: 'https://app.example.com/',
    });
    expect(config.allowedHosts).toEqual([
      'mcp.example.com',
      'localhost',
      '127.0.0.1',
      '::1',
      'internal.example',
    ]);
    expect(config.allowedOrigins).toEqual(['https://app.example.com']);
  });

  it('refuses the conformance fixtures and a short requestState key', () => {
    expect(loadMcpConfig({ MCP_CONFORMANCE_FIXTURES: 'true' }).conformanceFixtures).toBe(true);
    expect(() => loadMcpConfig({ NODE_ENV: 'production', MCP_CONFORMANCE_FIXTURES: 'true' })).toThrow(
      /MCP_CONFORMANCE_FIXTURES/,
    );
    expect(() => loadMcpConfig({ MCP_REQUEST_STATE_KEY: 'too-short' })).toThrow(/MCP_REQUEST_STATE_KEY/);
  });

  it('uses the configured requestState key, else a random one per process', () => {
    const key = 'k'.repeat(32);
    expect(Buffer.from(loadMcpConfig({ MCP_REQUEST_STATE_KEY: key }).requestStateKey).toString()).toBe(key);
    const [a, b] = [loadMcpConfig({}).requestStateKey, loadMcpConfig({}).requestStateKey];
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses malformed values', () => {
    expect(() => loadMcpConfig({ AUTHZ_INTERNAL_URL: 'not a url' })).toThrow(/AUTHZ_INTERNAL_URL/);
    expect(() => loadMcpConfig({ AUTHZ_INTERNAL_URL: 'http://a:3003,ftp://b' })).toThrow(
      /AUTHZ_INTERNAL_URL: "ftp:\/\/b" is not an http or https URL/,
    );
    expect(loadMcpConfig({ AUTHZ_INTERNAL_URL: 'http://a:3003/, http://b:3003' }).authzInternalUrls).toEqual([
      'http://a:3003',
      'http://b:3003',
    ]);
    expect(() => loadMcpConfig({ MCP_ALLOWED_ORIGINS: 'nope' })).toThrow(/MCP_ALLOWED_ORIGINS/);
  });

  it('reads the revocation settings, and checks STORE_URL without echoing it', () => {
    const config = loadMcpConfig({
      STORE_URL: 'redis://:pw@127.0.0.1:6379',
      MCP_TOKEN_CACHE_SIZE: '5',
      MCP_GRANT_CACHE_SIZE: '6',
      MCP_REVOCATION_FALLBACK_MS: '250',
    });
    expect(config.storeUrl).toBe('redis://:pw@127.0.0.1:6379');
    expect(config.env).toMatchObject({
      MCP_TOKEN_CACHE_SIZE: 5,
      MCP_GRANT_CACHE_SIZE: 6,
      MCP_REVOCATION_FALLBACK_MS: 250,
    });
    expect(loadMcpConfig({}).storeUrl).toBeUndefined();
    expect(() => loadMcpConfig({ STORE_URL: 'http://user:hunter2@x' })).toThrow(
      /^Invalid configuration:\n {2}- STORE_URL: must be a redis/,
    );
    expect(() => loadMcpConfig({ STORE_URL: 'http://user:hunter2@x' })).not.toThrow(/hunter2/);
    expect(() => loadMcpConfig({ MCP_TOKEN_CACHE_SIZE: '0' })).toThrow(/MCP_TOKEN_CACHE_SIZE/);
  });

  it('finds the shipped workspace by walking up from a nested directory', () => {
    const fromDeep = defaultWorkspaceRoot(join(process.cwd(), 'dist', 'apps', 'mcp'));
    expect(fromDeep).toBe(join(process.cwd(), 'apps', 'mcp', 'workspace'));
  });
});
