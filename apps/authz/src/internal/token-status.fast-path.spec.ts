import { Logger } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenRevocationService } from '../revocation/token-revocation.service';
import { TokenStatusFastPath } from './token-status.fast-path';

describe('TokenStatusFastPath', () => {
  let server: Server;
  let base: string;
  const revoked = new Set(['revoked-jti']);
  const revocation = {
    isRevoked: async (jti: string) => {
      if (jti === 'broken') throw new Error('store unavailable');
      return revoked.has(jti);
    },
  } as unknown as TokenRevocationService;

  beforeAll(async () => {
    // Stands in for Express: whatever the fast path does not take must reach it untouched.
    server = createServer((req, res) => res.writeHead(418).end(`express ${req.method} ${req.url}`));
    new TokenStatusFastPath(revocation).mount(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 200 {revoked} from the deny-list, not cacheable, with a request id', async () => {
    const fresh = await fetch(`${base}/internal/token-status?jti=some-jti`);
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toEqual({ revoked: false });
    expect(fresh.headers.get('cache-control')).toBe('no-store');
    expect(fresh.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const denied = await fetch(`${base}/internal/token-status?jti=revoked-jti`);
    expect(await denied.json()).toEqual({ revoked: true });
  });

  it('refuses a missing, empty, repeated or oversized jti with invalid_request', async () => {
    for (const query of ['', '?jti=', '?jti=a&jti=b', `?jti=${'x'.repeat(257)}`, '?other=1']) {
      const response = await fetch(`${base}/internal/token-status${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Query parameter jti is required.',
      });
    }
  });

  it('answers 404 to a request that came through a proxy (X-Forwarded-For)', async () => {
    const response = await fetch(`${base}/internal/token-status?jti=x`, {
      headers: { 'X-Forwarded-For': '198.51.100.1' },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toBe('not_found');
  });

  it('fails with a 500 server_error, never a crash, when the deny-list cannot be read', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const response = await fetch(`${base}/internal/token-status?jti=broken`);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: string }).error).toBe('server_error');
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('store unavailable'));
    } finally {
      logged.mockRestore();
    }
  });

  it('leaves other methods, paths and spellings to Express', async () => {
    for (const [method, path] of [
      ['POST', '/internal/token-status?jti=x'],
      ['GET', '/internal/token-status/?jti=x'],
      ['GET', '/internal/token-statuses'],
      ['GET', '/healthz'],
    ]) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status).toBe(418);
      expect(await response.text()).toBe(`express ${method} ${path}`);
    }
  });
});
