import { toPublicUrlSettings } from '@app/config';
import { isKnownResource } from './public-urls';

describe('isKnownResource', () => {
  const settings = toPublicUrlSettings('https://mcp.example.com', 'localhost,127.0.0.1');

  it('accepts /mcp on PUBLIC_URL and on an alias at any port', () => {
    expect(isKnownResource('https://mcp.example.com/mcp', settings)).toBe(true);
    expect(isKnownResource('http://localhost:3002/mcp', settings)).toBe(true);
    expect(isKnownResource('http://127.0.0.1:40000/mcp', settings)).toBe(true);
  });

  it('refuses other hosts, other paths, queries and fragments', () => {
    expect(isKnownResource('https://evil.example/mcp', settings)).toBe(false);
    expect(isKnownResource('https://mcp.example.com/other', settings)).toBe(false);
    expect(isKnownResource('https://mcp.example.com/mcp?x=1', settings)).toBe(false);
    expect(isKnownResource('https://mcp.example.com/mcp#f', settings)).toBe(false);
    expect(isKnownResource('not a url', settings)).toBe(false);
  });
});
