import { resolvePublicBaseUrl, toPublicUrlSettings } from './public-url';

describe('resolvePublicBaseUrl', () => {
  const settings = toPublicUrlSettings('http://localhost:3002/', 'localhost, 127.0.0.1');

  it('uses the forwarded alias host with its port', () => {
    expect(resolvePublicBaseUrl(settings, { forwardedHost: '127.0.0.1:41234', forwardedProto: 'http' })).toBe(
      'http://127.0.0.1:41234',
    );
  });

  it('falls back to the Host header when nothing was forwarded', () => {
    expect(resolvePublicBaseUrl(settings, { host: 'localhost:5555' })).toBe('http://localhost:5555');
  });

  it('answers PUBLIC_URL for a host that is not an alias', () => {
    expect(resolvePublicBaseUrl(settings, { forwardedHost: 'evil.example:3002' })).toBe(
      'http://localhost:3002',
    );
  });

  it('ignores malformed hosts', () => {
    expect(resolvePublicBaseUrl(settings, { host: 'localhost/evil' })).toBe('http://localhost:3002');
    expect(resolvePublicBaseUrl(settings, { host: 'local host' })).toBe('http://localhost:3002');
  });

  it('rejects a PUBLIC_URL that is not an http(s) origin', () => {
    expect(() => toPublicUrlSettings('ftp://x', '')).toThrow(/PUBLIC_URL/);
    expect(() => toPublicUrlSettings('not a url', '')).toThrow(/PUBLIC_URL/);
  });
});

describe('resolvePublicBaseUrl with a PUBLIC_URL path', () => {
  const settings = toPublicUrlSettings('https://gw.example/stack/', 'localhost');

  it('keeps the configured scheme and path on an alias host', () => {
    expect(resolvePublicBaseUrl(settings, { host: 'localhost:8443' })).toBe('https://localhost:8443/stack');
  });

  it('takes the forwarded scheme when the gateway sent one', () => {
    expect(resolvePublicBaseUrl(settings, { host: 'localhost:8080', forwardedProto: 'http' })).toBe(
      'http://localhost:8080/stack',
    );
  });
});
