import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { ForwardedHeaders } from './forwarded-headers';

function requestFrom(remoteAddress: string, headers: Record<string, string>): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const req = new IncomingMessage(socket);
  req.headers = { ...headers };
  return req;
}

describe('ForwardedHeaders', () => {
  const spoofed = {
    host: 'localhost:3002',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-proto': 'https',
    'x-forwarded-for': '10.9.9.9',
    forwarded: 'for=10.9.9.9;host=evil.example',
  };

  it('replaces what an untrusted client claims with what the gateway sees', () => {
    const req = requestFrom('::ffff:127.0.0.1', spoofed);
    new ForwardedHeaders([]).apply(req);
    expect(req.headers).toMatchObject({
      host: 'localhost:3002',
      'x-forwarded-host': 'localhost:3002',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(req.headers.forwarded).toBeUndefined();
  });

  it('keeps a trusted proxy’s values and appends that proxy to X-Forwarded-For', () => {
    const req = requestFrom('10.0.0.7', spoofed);
    new ForwardedHeaders(['10.0.0.0/8']).apply(req);
    expect(req.headers).toMatchObject({
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '10.9.9.9, 10.0.0.7',
    });
  });

  it('trusts exact addresses and IPv6 ranges, and nobody else', () => {
    const forwarded = new ForwardedHeaders(['192.168.1.10', 'fd00::/8']);
    expect(forwarded.isTrusted('192.168.1.10')).toBe(true);
    expect(forwarded.isTrusted('192.168.1.11')).toBe(false);
    expect(forwarded.isTrusted('fd00::1')).toBe(true);
    expect(new ForwardedHeaders([]).isTrusted('127.0.0.1')).toBe(false);
  });

  it("accepts Express's named ranges, as AUTHZ_TRUST_PROXY does", () => {
    const forwarded = new ForwardedHeaders(['loopback']);
    expect(forwarded.isTrusted('127.0.0.1')).toBe(true);
    expect(forwarded.isTrusted('::1')).toBe(true);
    expect(forwarded.isTrusted('10.0.0.1')).toBe(false);
    expect(forwarded.isTrusted('')).toBe(false);
  });
});
