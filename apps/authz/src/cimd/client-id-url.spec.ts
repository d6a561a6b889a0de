import { clientIdUrlProblem, looksLikeClientIdUrl } from './client-id-url';

describe('Client Identifier URLs (CIMD §3)', () => {
  it.each([
    'https://claude.ai/oauth/mcp-oauth-client-metadata',
    'https://app.example.com/client.json',
    'https://app.example.com:8443/c',
    'https://app.example.com/c?v=1',
  ])('accepts %s', (url) => {
    expect(clientIdUrlProblem(url, false)).toBeUndefined();
  });

  it.each([
    ['http://app.example.com/c', /https/],
    ['https://app.example.com', /path/],
    ['https://user@app.example.com/c', /user name/],
    ['https://app.example.com/c#x', /fragment/],
    ['https://app.example.com/a/../c', /"\." or "\.\."/],
    ['https://app.example.com/./c', /"\." or "\.\."/],
    ['https://app.example.com/a/%2E%2e/c', /"\." or "\.\."/],
    ['https://App.Example.com/c', /canonical/],
    ['https://app.example.com:443/c', /canonical/],
    ['https://app.example.com/a b', /canonical/],
    ['not a url', /absolute/],
  ])('refuses %s', (url, problem) => {
    expect(clientIdUrlProblem(url, false)).toMatch(problem);
  });

  it('accepts plain http only under the loopback test switch', () => {
    expect(clientIdUrlProblem('http://127.0.0.1:4000/c', true)).toBeUndefined();
    expect(looksLikeClientIdUrl('http://127.0.0.1:4000/c', true)).toBe(true);
    expect(looksLikeClientIdUrl('http://127.0.0.1:4000/c', false)).toBe(false);
  });

  it('tells URL client ids from issued ones', () => {
    expect(looksLikeClientIdUrl('https://claude.ai/x', false)).toBe(true);
    expect(looksLikeClientIdUrl('Zf3tq9xRk1w0bq5k5dVZ8g', false)).toBe(false);
    expect(looksLikeClientIdUrl('mcp-inspector-client', false)).toBe(false);
  });
});
