import type { McpConfig } from '../config/mcp.config';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { SessionStore, type McpSession } from './session.store';

type TestSession = McpSession & { closed: boolean };

function session(id: string, sub = 'alice', clientId = 'client'): TestSession {
  const entry = { id, sub, clientId, lastSeen: Date.now(), closed: false } as TestSession;
  entry.server = { close: async () => void (entry.closed = true) } as unknown as McpSession['server'];
  return entry;
}

describe('SessionStore', () => {
  const stores: SessionStore[] = [];
  const storeWith = (max: number, perSubject = 2) => {
    const store = new SessionStore({
      env: { MCP_MAX_SESSIONS: max, MCP_MAX_SESSIONS_PER_SUBJECT: perSubject, MCP_SESSION_IDLE_MS: 60_000 },
    } as McpConfig);
    stores.push(store);
    return store;
  };
  /** What LegacyHttpService does: reserve before the SDK answers, add once the session has its id. */
  const open = (store: SessionStore, entry: TestSession) => {
    store.add(store.reserve(entry.sub), entry);
    return entry;
  };

  afterAll(() => stores.forEach((store) => store.onApplicationShutdown()));

  it('finds a session only for the identity that created it', () => {
    const store = storeWith(10);
    open(store, session('s1'));
    expect(store.find('s1', 'alice', 'client')?.id).toBe('s1');
    expect(store.find('s1', 'mallory', 'client')).toBeUndefined();
    expect(store.find('s1', 'alice', 'other-client')).toBeUndefined();
    expect(store.find('nope', 'alice', 'client')).toBeUndefined();
  });

  it("makes a caller over its own limit give up its own oldest session, not anyone else's", () => {
    const store = storeWith(10);
    const [bob, a1, a2, a3] = [session('bob', 'bob'), session('a1'), session('a2'), session('a3')];
    [bob, a1, a2, a3].forEach((entry) => open(store, entry));
    expect(a1.closed).toBe(true);
    expect([bob.closed, a2.closed, a3.closed]).toEqual([false, false, false]);
  });

  it('caps sessions per subject whatever the client: fresh client ids buy no more room', () => {
    const store = storeWith(100, 3);
    const mallory = Array.from({ length: 6 }, (_, i) =>
      open(store, session(`m${i}`, 'mallory', `client-${i}`)),
    );
    expect(mallory.filter((entry) => !entry.closed).map((entry) => entry.id)).toEqual(['m3', 'm4', 'm5']);
    expect(store.size).toBe(3);
  });

  it("when full, takes the session of the subject holding the most, never a lone user's", () => {
    // 6 attacker subjects, 3 sessions each at most, keep opening sessions next to alice's one (10 places).
    const store = storeWith(10, 3);
    const alice = open(store, session('alice-1'));
    let refused = 0;
    for (let round = 0; round < 120; round++) {
      const sub = `mallory-${round % 6}`;
      try {
        open(store, session(`m${round}`, sub, `client-${round}`));
      } catch (error) {
        if (!(error instanceof JsonRpcHttpException) || error.getStatus() !== 429) throw error;
        refused++;
      }
    }
    expect(alice.closed).toBe(false);
    expect(store.find('alice-1', 'alice', 'client')).toBeDefined();
    expect(store.size).toBe(10);
    expect(refused).toBe(0); // an attacker subject always held more than one: it paid, not alice
  });

  it("evicts the newcomer's own session first when it holds as many as anyone", () => {
    const store = storeWith(4, 10);
    const [a1, a2, b1, b2] = [session('a1'), session('a2'), session('b1', 'bob'), session('b2', 'bob')];
    [a1, a2, b1, b2].forEach((entry) => open(store, entry));
    open(store, session('a3'));
    expect([a1.closed, a2.closed, b1.closed, b2.closed]).toEqual([true, false, false, false]);
  });

  it('refuses a new subject with 429 and Retry-After when every subject holds a single session', () => {
    const store = storeWith(3);
    const held = ['alice', 'bob', 'carol'].map((sub) => open(store, session(`${sub}-1`, sub)));
    let refusal: unknown;
    try {
      store.reserve('dave');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(JsonRpcHttpException);
    expect((refusal as JsonRpcHttpException).getStatus()).toBe(429);
    // The least recently used session goes idle (and is swept) within MCP_SESSION_IDLE_MS: 60 s here.
    expect((refusal as JsonRpcHttpException).retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect((refusal as JsonRpcHttpException).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(held.every((entry) => !entry.closed)).toBe(true);
    // One of them may still open a second: it replaces its own.
    open(store, session('alice-2'));
    expect(held[0].closed).toBe(true);
  });

  it('counts initializations under way against the caps until they are added or released', () => {
    const store = storeWith(2, 5);
    const first = store.reserve('alice');
    const second = store.reserve('bob');
    expect(() => store.reserve('carol')).toThrow(JsonRpcHttpException);
    store.release(second);
    store.release(second); // idempotent
    store.add(first, session('a1'));
    expect(() => store.reserve('carol')).not.toThrow();
  });

  it('closes every session on shutdown', () => {
    const store = storeWith(5);
    const a = open(store, session('a'));
    store.onApplicationShutdown();
    expect(a.closed).toBe(true);
    expect(store.size).toBe(0);
  });
});
