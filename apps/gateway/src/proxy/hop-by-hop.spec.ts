import { connectionTokens, stripRequestHopHeaders } from './hop-by-hop';

describe('stripRequestHopHeaders', () => {
  it('removes hop-by-hop fields and those named in Connection, but never Host', () => {
    const headers: Record<string, string> = {
      host: 'localhost:3002',
      connection: 'keep-alive, X-Secret-Hop, host',
      'keep-alive': 'timeout=5',
      'x-secret-hop': '1',
      upgrade: 'websocket',
      te: 'trailers',
      expect: '100-continue',
      authorization: 'Bearer abc',
    };
    stripRequestHopHeaders(headers);
    expect(headers).toEqual({ host: 'localhost:3002', authorization: 'Bearer abc' });
  });

  it('reads no tokens from the usual Connection values', () => {
    expect(connectionTokens('keep-alive')).toEqual([]);
    expect(connectionTokens(undefined)).toEqual([]);
    expect(connectionTokens('close, X-Foo')).toEqual(['x-foo']);
  });
});
