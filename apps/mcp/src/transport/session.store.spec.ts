import type { McpConfig } from '../config/mcp.config';
import { SessionStore, type McpSession } from './session.store';

function session(id: string, sub = 'alice', clientId = 'client'): McpSession & { closed: boolean } {
  const entry = { id, sub, clientId, lastSeen: Date.now(), closed: false } as McpSession & {
    closed: boolean;
  };
  entry.server = { close: async () => void (entry.closed = true) } as unknown as McpSession['server'];
  return entry;
}

describe('SessionStore', () => {
  const stores: SessionStore[] = [];
  const storeWith = (max: number) => {
    const store = new SessionStore({
      env: { MCP_MAX_SESSIONS: max, MCP_MAX_SESSIONS_PER_IDENTITY: 2, MCP_SESSION_IDLE_MS: 60_000 },
    } as McpConfig);
    stores.push(store);
    return store;
  };

  afterAll(() => stores.forEach((store) => store.onModuleDestroy()));

  it('finds a session only for the identity that created it', () => {
    const store = storeWith(10);
    store.add(session('s1'));
    expect(store.find('s1', 'alice', 'client')?.id).toBe('s1');
    expect(store.find('s1', 'mallory', 'client')).toBeUndefined();
    expect(store.find('s1', 'alice', 'other-client')).toBeUndefined();
    expect(store.find('nope', 'alice', 'client')).toBeUndefined();
  });

  it('closes the least recently used session to admit a new one when full', () => {
    const store = storeWith(2);
    const [a, b, c] = [session('a'), session('b', 'bob'), session('c', 'carol')];
    store.add(a);
    store.add(b);
    store.find('a', 'alice', 'client'); // a is now the most recently used
    store.add(c);
    expect(b.closed).toBe(true);
    expect(a.closed).toBe(false);
    expect(store.size).toBe(2);
  });

  it("makes a caller over its own limit give up its own oldest session, not anyone else's", () => {
    const store = storeWith(10);
    const [bob, a1, a2, a3] = [session('bob', 'bob'), session('a1'), session('a2'), session('a3')];
    [bob, a1, a2, a3].forEach((entry) => store.add(entry));
    expect(a1.closed).toBe(true);
    expect([bob.closed, a2.closed, a3.closed]).toEqual([false, false, false]);
  });

  it('closes every session on shutdown', () => {
    const store = storeWith(5);
    const a = session('a');
    store.add(a);
    store.onModuleDestroy();
    expect(a.closed).toBe(true);
    expect(store.size).toBe(0);
  });
});
