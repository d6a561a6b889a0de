import type { IncomingMessage } from 'node:http';
import { loadMcpConfig } from '../config/mcp.config';
import { OriginCheck } from './origin.check';

const request = (origin?: string) =>
  ({ headers: { host: 'localhost:3002', ...(origin === undefined ? {} : { origin }) } }) as IncomingMessage;
const allows = (check: OriginCheck, origin?: string) => {
  try {
    check.check(request(origin));
    return true;
  } catch {
    return false;
  }
};

describe('OriginCheck (DNS-rebinding protection)', () => {
  const listed = 'https://app.example.com';
  const development = new OriginCheck(loadMcpConfig({ MCP_ALLOWED_ORIGINS: listed }));
  const production = new OriginCheck(loadMcpConfig({ MCP_ALLOWED_ORIGINS: listed, NODE_ENV: 'production' }));

  it('accepts requests without Origin and the configured origins everywhere', () => {
    for (const check of [development, production]) {
      expect(allows(check)).toBe(true);
      expect(allows(check, listed)).toBe(true);
      expect(allows(check, 'https://evil.example')).toBe(false);
      expect(allows(check, 'null')).toBe(false);
    }
  });

  it('outside production, accepts a loopback origin on any port, as the SDK localhost protection does', () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:41234', 'http://[::1]:8080']) {
      expect(allows(development, origin)).toBe(true);
      expect(allows(production, origin)).toBe(false);
    }
    expect(allows(development, 'http://localhost.evil.example')).toBe(false);
    expect(allows(development, 'http://127.0.0.2:80')).toBe(false);
  });
});
