import type { McpConfig } from '../config/mcp.config';
import { DEFAULT_LOG_LEVEL } from './call-context';
import type { BuiltServer, McpServerFactory } from './mcp-server.factory';
import { ServerPool } from './server-pool';

interface FakeServer extends BuiltServer {
  closed: number;
}

function poolWith(size: number): { pool: ServerPool; created: FakeServer[] } {
  const created: FakeServer[] = [];
  const factory = {
    create: () => {
      const built = { state: { level: 'debug' }, closed: 0 } as unknown as FakeServer;
      built.server = { close: async () => void built.closed++ } as unknown as BuiltServer['server'];
      created.push(built);
      return built;
    },
  } as unknown as McpServerFactory;
  return { pool: new ServerPool({ env: { MCP_SERVER_POOL_SIZE: size } } as McpConfig, factory), created };
}

describe('ServerPool', () => {
  it('reuses a released server, closed and with its log level reset, and builds only when empty', async () => {
    const { pool, created } = poolWith(1);
    const first = pool.acquire() as FakeServer;
    await pool.release(first);
    expect(first.closed).toBe(1);
    expect(first.state.level).toBe(DEFAULT_LOG_LEVEL);
    expect(pool.acquire()).toBe(first);
    expect(created).toHaveLength(1);
  });

  it('keeps no more idle servers than MCP_SERVER_POOL_SIZE', async () => {
    const { pool, created } = poolWith(1);
    const [a, b] = [pool.acquire(), pool.acquire()];
    await pool.release(a);
    await pool.release(b);
    expect(pool.acquire()).toBe(a);
    expect(pool.acquire()).not.toBe(b);
    expect(created).toHaveLength(3);
  });
});
