import { normalisePath } from './normalise-path';

describe('normalisePath', () => {
  it('keeps a plain path as it is, without re-encoding', () => {
    expect(normalisePath('/.well-known/jwks.json')).toEqual({
      segments: ['.well-known', 'jwks.json'],
      path: '/.well-known/jwks.json',
    });
  });

  it('decodes percent-encoded segments and forwards their canonical spelling', () => {
    expect(normalisePath('/t%6Fken')).toEqual({ segments: ['token'], path: '/token' });
    expect(normalisePath('/docs/a%20b.css')).toEqual({
      segments: ['docs', 'a b.css'],
      path: '/docs/a%20b.css',
    });
  });

  it('keeps a trailing slash as a final empty segment', () => {
    expect(normalisePath('/docs/')?.segments).toEqual(['docs', '']);
    expect(normalisePath('/')?.segments).toEqual([]);
  });

  it.each([
    ['raw dot-segment', '/token/../admin'],
    ['raw single dot', '/./token'],
    ['encoded dot-dot', '/%2e%2e/token'],
    ['mixed-case encoded dot-dot', '/%2E./token'],
    ['encoded single dot', '/%2e/mcp'],
    ['encoded slash', '/mcp%2f..'],
    ['encoded slash, upper case', '/docs%2Fx'],
    ['encoded backslash', '/docs%5c..%5cadmin'],
    ['raw backslash', '/docs\\..\\admin'],
    ['encoded NUL', '/token%00'],
    ['encoded control character', '/token%0d%0aX-Injected:%20yes'],
    ['double encoding', '/%252e%252e/token'],
    ['malformed escape', '/%zz'],
    ['truncated escape', '/token%'],
    ['invalid UTF-8', '/%c0%ae%c0%ae/token'],
    ['double slash', '//token'],
    ['inner empty segment', '/.well-known//jwks.json'],
    ['absolute-form target', 'http://evil.example/token'],
    ['asterisk-form target', '*'],
    ['empty target', ''],
    ['raw space', '/to ken'],
  ])('refuses a %s (%s)', (_what, raw) => {
    expect(normalisePath(raw)).toBeUndefined();
  });
});
