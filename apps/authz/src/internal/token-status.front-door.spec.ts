import { Logger } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenRevocationService } from '../revocation/token-revocation.service';
import { TokenStatusFrontDoor } from './token-status.front-door';

describe('TokenStatusFrontDoor', () => {
  let server: Server;
  let base: string;
  const revoked = new Set(['revoked-jti']);
  const revocation = {
    isRevoked: async (jti: string) => {
      if (jti === 'broken') throw new Error('store unavailable');
      return revoked.has(jti);
    },
  } as unknown as TokenRevocationService;
  const door = new TokenStatusFrontDoor(revocation);

  beforeAll(async () => {
    // The door alone on a real server: mountFrontDoors' routing is proven in libs/runtime and the authz e2e.
    server = createServer((req, res) => void door.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes exactly /internal/token-status, leaving other spellings to Nest, and writes no access log', () => {
    const req = {} as IncomingMessage;
    expect(door.matches(req, '/internal/token-status')).toBe(true);
    for (const path of [
      '/internal/token-status/',
      '/Internal/Token-Status',
      '/internal/token-statuses',
      '/healthz',
    ]) {
      expect(door.matches(req, path)).toBe(false);
    }
    expect(door.accessLog).toBe(false);
  });

  it('answers 200 {revoked} from the deny-list, not cacheable, never sniffed', async () => {
    const fresh = await fetch(`${base}/internal/token-status?jti=some-jti`);
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toEqual({ revoked: false });
    expect(fresh.headers.get('cache-control')).toBe('no-store');
    expect(fresh.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(fresh.headers.get('x-content-type-options')).toBe('nosniff');
    const denied = await fetch(`${base}/internal/token-status?jti=revoked-jti`);
    expect(await denied.json()).toEqual({ revoked: true });
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await fetch(`${base}/internal/token-status?jti=revoked-jti`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('{"revoked":true}'.length));
    expect(await head.text()).toBe('');
  });

  it('refuses a missing, empty, repeated or oversized jti with invalid_request', async () => {
    for (const query of ['', '?jti=', '?jti=a&jti=b', `?jti=${'x'.repeat(257)}`, '?other=1']) {
      const response = await fetch(`${base}/internal/token-status${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Query parameter jti is required.',
      });
    }
  });

  it('refuses other methods with 405 and Allow (RFC 9110 §15.5.6)', async () => {
    const response = await fetch(`${base}/internal/token-status?jti=x`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('answers 404 to a request that came through a proxy (X-Forwarded-For), whatever its method', async () => {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${base}/internal/token-status?jti=x`, {
        method,
        headers: { 'X-Forwarded-For': '198.51.100.1' },
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toBe('not_found');
    }
  });

  it('fails with a 500 server_error, never a crash, when the deny-list cannot be read', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const response = await fetch(`${base}/internal/token-status?jti=broken`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: 'server_error',
        error_description: 'The server could not complete the request.',
      });
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('store unavailable'));
    } finally {
      logged.mockRestore();
    }
  });
});
