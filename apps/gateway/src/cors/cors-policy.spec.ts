import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { CorsPolicy } from './cors-policy';

function exchange(headers: Record<string, string>) {
  const req = new IncomingMessage(new Socket());
  req.method = 'OPTIONS';
  req.headers = headers;
  const res = new ServerResponse(req);
  res.end = (() => res) as ServerResponse['end'];
  return { req, res };
}

describe('CorsPolicy', () => {
  const policy = new CorsPolicy(['http://localhost:6274']);

  it('answers a listed origin with that origin, the allowed headers, and Vary', () => {
    const { req, res } = exchange({
      origin: 'http://localhost:6274',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,mcp-protocol-version',
    });
    policy.answerPreflight('listed', req, res);
    expect(res.statusCode).toBe(204);
    expect(res.getHeader('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(res.getHeader('access-control-allow-headers')).toContain('Mcp-Protocol-Version');
    expect(res.getHeader('vary')).toContain('Origin');
  });

  it('gives an unlisted origin no CORS headers at all', () => {
    const { req, res } = exchange({ origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    policy.answerPreflight('listed', req, res);
    expect(res.statusCode).toBe(204);
    expect(Object.keys(res.getHeaders()).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('adds a requested Mcp-* header that a later MCP revision may define, but no other header', () => {
    const { req, res } = exchange({
      origin: 'http://localhost:6274',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'mcp-future-thing, x-evil, mcp-session-id',
    });
    policy.answerPreflight('listed', req, res);
    const allowed = String(res.getHeader('access-control-allow-headers')).toLowerCase().split(', ');
    expect(allowed).toContain('mcp-future-thing');
    expect(allowed).not.toContain('x-evil');
    expect(allowed.filter((name) => name === 'mcp-session-id')).toHaveLength(1);
  });

  it('answers any origin with * and no credentials on public routes', () => {
    const { req, res } = exchange({ origin: 'https://anything.example' });
    policy.decorate('any', req, res);
    expect(res.getHeader('access-control-allow-origin')).toBe('*');
    expect(res.getHeader('access-control-allow-credentials')).toBeUndefined();
    expect(res.getHeader('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  it('adds nothing on navigation-only routes', () => {
    const { req, res } = exchange({ origin: 'http://localhost:6274' });
    policy.decorate('none', req, res);
    expect(res.getHeaderNames()).toEqual([]);
  });
});
