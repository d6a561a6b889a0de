import type { IncomingMessage } from 'node:http';
import { readBearerToken } from './bearer-token.reader';

const request = (headers: Record<string, string>, url = '/mcp') =>
  ({ url, headers }) as unknown as IncomingMessage;

describe('readBearerToken (RFC 6750 §2, MCP authorization "Token Requirements")', () => {
  it('reads the token of an Authorization: Bearer header, any case of the scheme, any spacing', () => {
    expect(readBearerToken(request({ authorization: 'Bearer abc.DEF-_~+/=' }))).toBe('abc.DEF-_~+/=');
    expect(readBearerToken(request({ authorization: 'bearer   abc' }))).toBe('abc');
  });

  it('refuses a request without credentials with a challenge that has no error code (RFC 6750 §3.1)', () => {
    expect(readBearerToken(request({}))).toMatchObject({ kind: 'unauthorized', error: undefined });
  });

  it('refuses another scheme with invalid_request', () => {
    expect(readBearerToken(request({ authorization: 'Basic YTpi' }))).toMatchObject({
      error: 'invalid_request',
    });
  });

  it('refuses a token that is not a b64token with invalid_token', () => {
    for (const header of ['Bearer two words', 'Bearer ', 'Bearer a"b', 'Bearer =abc']) {
      expect(readBearerToken(request({ authorization: header }))).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('refuses a token in the query string or a form body, even next to a valid header', () => {
    const header = { authorization: 'Bearer abc' };
    expect(readBearerToken(request(header, '/mcp?access_token=abc'))).toMatchObject({
      error: 'invalid_request',
    });
    const form = { ...header, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    expect(readBearerToken(request(form))).toMatchObject({ error: 'invalid_request' });
    expect(readBearerToken(request(header, '/mcp?other=1'))).toBe('abc');
  });
});
