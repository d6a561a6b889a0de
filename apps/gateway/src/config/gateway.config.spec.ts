import { ConfigValidationError } from '@app/config';
import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('works with no variables at all', () => {
    const config = loadGatewayConfig({});
    expect(config.port).toBe(3002);
    expect(config.upstreams).toEqual({ authz: 'http://127.0.0.1:3003', mcp: 'http://127.0.0.1:3004' });
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
});
