import { isRedirectUriRegistered, isWebRedirect, redirectUriProblem } from './redirect-uri';

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

  it('accepts https, loopback http and private-use schemes for registration', () => {
    expect(redirectUriProblem('https://app.example/cb')).toBeUndefined();
    expect(redirectUriProblem('http://127.0.0.1:3000/cb')).toBeUndefined();
    expect(redirectUriProblem('http://localhost/cb')).toBeUndefined();
    expect(redirectUriProblem('http://[::1]:33418/')).toBeUndefined();
    expect(redirectUriProblem('cursor://anysphere.cursor-mcp/oauth/callback')).toBeUndefined();
    expect(redirectUriProblem('com.example.app:/oauth2redirect')).toBeUndefined();
  });

  it('refuses web http, fragments, credentials and malformed URIs', () => {
    expect(redirectUriProblem('http://app.example/cb')).toMatch(/https/);
    expect(redirectUriProblem('https://app.example/cb#x')).toMatch(/fragment/);
    expect(redirectUriProblem('https://user:pw@app.example/cb')).toMatch(/credentials/);
    expect(redirectUriProblem('not-a-uri')).toMatch(/absolute/);
    expect(redirectUriProblem('/relative/cb')).toMatch(/absolute/);
    expect(redirectUriProblem(`https://app.example/${'a'.repeat(2048)}`)).toMatch(/too long/);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    'vbscript:x',
    'blob:https://a/b',
  ])('always refuses %s', (uri) => {
    expect(redirectUriProblem(uri)).toMatch(/must not use the [a-z]+: scheme/);
  });

  it.each([
    ['https:///cb', /must name a host/],
    ['https:cb', /must name a host/],
    ['https://@app.example/cb', /must name a host|credentials/],
    ['https://app.example\\@evil.example/cb', /backslash/],
    ['https:\\\\evil.example/cb', /backslash/],
    ['https://app.example/c\u0000b', /control/],
    ['https://app.example/c%00b', /control/],
    ['https://app.example/c b', /spaces/],
    ['https://app.example/cb\n', /control/],
  ])('refuses the malformed %j', (uri, problem) => {
    expect(redirectUriProblem(uri)).toMatch(problem);
  });

  it('tells web redirects from app redirects', () => {
    expect(isWebRedirect('https://claude.ai/api/mcp/auth_callback')).toBe(true);
    expect(isWebRedirect('http://127.0.0.1:4000/cb')).toBe(true);
    expect(isWebRedirect('cursor://anysphere.cursor-mcp/oauth/callback')).toBe(false);
  });
});
