import { isRedirectUriRegistered, redirectUriProblem } from './redirect-uri';

describe('redirect URIs', () => {
  const registered = ['http://127.0.0.1/callback', 'http://[::1]:8080/cb', 'https://app.example/cb?x=1'];

  it('matches registered URIs exactly', () => {
    expect(isRedirectUriRegistered(registered, 'https://app.example/cb?x=1')).toBe(true);
    expect(isRedirectUriRegistered(registered, 'https://app.example/cb?x=2')).toBe(false);
    expect(isRedirectUriRegistered(registered, 'https://app.example/cb/')).toBe(false);
    expect(isRedirectUriRegistered(registered, 'https://app.example:8443/cb?x=1')).toBe(false);
  });

  it('ignores the port of loopback IP redirects (RFC 8252 §7.3)', () => {
    expect(isRedirectUriRegistered(registered, 'http://127.0.0.1:54321/callback')).toBe(true);
    expect(isRedirectUriRegistered(registered, 'http://[::1]:1/cb')).toBe(true);
    expect(
      isRedirectUriRegistered(['http://localhost:6274/oauth/callback'], 'http://localhost:9/oauth/callback'),
    ).toBe(true);
  });

  it('still requires the same loopback host, scheme and path', () => {
    expect(isRedirectUriRegistered(registered, 'http://127.0.0.1:54321/other')).toBe(false);
    expect(isRedirectUriRegistered(registered, 'http://localhost:54321/callback')).toBe(false);
    expect(isRedirectUriRegistered(registered, 'https://127.0.0.1:54321/callback')).toBe(false);
    expect(isRedirectUriRegistered(registered, 'http://user@127.0.0.1:5/callback')).toBe(false);
    expect(isRedirectUriRegistered(registered, 'http://127.0.0.1:5/callback#frag')).toBe(false);
  });

  it('never matches a non-loopback host on another port', () => {
    expect(isRedirectUriRegistered(['http://example.com/cb'], 'http://example.com:81/cb')).toBe(false);
  });

  it('accepts https and loopback http for registration, nothing else', () => {
    expect(redirectUriProblem('https://app.example/cb')).toBeUndefined();
    expect(redirectUriProblem('http://127.0.0.1:3000/cb')).toBeUndefined();
    expect(redirectUriProblem('http://localhost/cb')).toBeUndefined();
    expect(redirectUriProblem('http://app.example/cb')).toMatch(/https/);
    expect(redirectUriProblem('https://app.example/cb#x')).toMatch(/fragment/);
    expect(redirectUriProblem('javascript:alert(1)')).toMatch(/https/);
    expect(redirectUriProblem('not a uri')).toMatch(/absolute/);
  });
});
