import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from '@app/config';
import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('works with no variables at all', () => {
    const config = loadGatewayConfig({});
    expect(config.port).toBe(3002);
    expect(config.upstreams).toEqual({ authz: ['http://127.0.0.1:3003'], mcp: ['http://127.0.0.1:3004'] });
    expect(config.resources.map((resource) => resource.path)).toEqual(['/mcp']);
    expect(config.enforcing).toBe(false);
    expect(config.corsOrigins).toEqual(['http://localhost:6274', 'http://127.0.0.1:6274']);
    expect(config.trustedProxies).toEqual([]);
    expect(config.maxBodyBytes).toBe(1_048_576);
    expect(config.upstreamIdleMs).toBeLessThan(5_000);
  });

  it('listens on loopback only in development unless GATEWAY_HOST says otherwise', () => {
    expect(loadGatewayConfig({}).host).toBe('loopback');
    expect(loadGatewayConfig({ NODE_ENV: 'production' }).host).toBeUndefined();
    expect(loadGatewayConfig({ GATEWAY_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('names a CORS origin that is not an origin', () => {
    expect(() => loadGatewayConfig({ GATEWAY_CORS_ORIGINS: 'http://ok:1,http://x/path' })).toThrow(
      /GATEWAY_CORS_ORIGINS: "http:\/\/x\/path"/,
    );
  });

  it('names a trusted proxy that is not an address or range', () => {
    expect(() => loadGatewayConfig({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      ConfigValidationError,
    );
    expect(() => loadGatewayConfig({ GATEWAY_TRUSTED_PROXIES: 'proxy.local' })).toThrow(
      /GATEWAY_TRUSTED_PROXIES/,
    );
    expect(loadGatewayConfig({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
  });

  it('names a bad timeout', () => {
    expect(() => loadGatewayConfig({ GATEWAY_UPSTREAM_TIMEOUT_MS: 'soon' })).toThrow(
      /GATEWAY_UPSTREAM_TIMEOUT_MS/,
    );
  });

  it('takes comma-separated upstream pools and names a URL that is not one', () => {
    const config = loadGatewayConfig({ MCP_UPSTREAM_URL: 'http://127.0.0.1:1, http://127.0.0.1:2' });
    expect(config.upstreams.mcp).toEqual(['http://127.0.0.1:1', 'http://127.0.0.1:2']);
    expect(() => loadGatewayConfig({ AUTHZ_UPSTREAM_URL: 'http://ok:1,ftp://x' })).toThrow(
      /AUTHZ_UPSTREAM_URL: "ftp:\/\/x" must be http or https/,
    );
    expect(() => loadGatewayConfig({ MCP_UPSTREAM_URL: ' , ' })).toThrow(
      /MCP_UPSTREAM_URL: at least one URL/,
    );
  });

  it('reads the resources file, refuses paths the gateway owns, and enforces once it is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    try {
      const file = join(dir, 'resources.yaml');
      writeFileSync(file, 'resources:\n  - path: /echo/mcp\n    upstream: http://127.0.0.1:9/mcp\n');
      const config = loadGatewayConfig({ GATEWAY_RESOURCES_FILE: file });
      expect(config.enforcing).toBe(true);
      expect(config.resources).toMatchObject([{ path: '/echo/mcp', forward: 'headers' }]);
      writeFileSync(file, '[{ path: /token, upstream: "http://127.0.0.1:9" }, { path: /x, upstream: 1 }]');
      expect(() => loadGatewayConfig({ GATEWAY_RESOURCES_FILE: file })).toThrow(
        /resources\[1\] \(\/x\): upstream: must be a URL or a non-empty list of URLs/,
      );
      writeFileSync(file, '[{ path: /token, upstream: "http://127.0.0.1:9" }]');
      expect(() => loadGatewayConfig({ GATEWAY_RESOURCES_FILE: file })).toThrow(
        /GATEWAY_RESOURCES_FILE: \/token: path: is taken by the gateway/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes an EC P-256 identity key and refuses any other', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(
      loadGatewayConfig({ GATEWAY_IDENTITY_KEY_PEM: String(ec).replace(/\n/g, '\\n') }).identity.keyPem,
    ).toBe(String(ec));
    expect(() => loadGatewayConfig({ GATEWAY_IDENTITY_KEY_PEM: String(rsa) })).toThrow(
      /must be an EC P-256 key/,
    );
    expect(() => loadGatewayConfig({ GATEWAY_IDENTITY_KEY_PEM: 'nope' })).toThrow(/not a readable PEM/);
    expect(() => loadGatewayConfig({ STORE_URL: 'http://x' })).toThrow(/STORE_URL: must be a redis/);
  });
});
