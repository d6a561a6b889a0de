import { track, type BuiltServer } from './built-server';
import { ServerPool } from './server-pool';

interface FakeProtocol {
  onclose?: () => void;
  transport?: object;
}

/** A server object as far as the pool looks at it: `server.server.onclose` and `server.server.transport`. */
function poolWith(size: number): { pool: ServerPool; created: BuiltServer[] } {
  const created: BuiltServer[] = [];
  const build = (): BuiltServer => {
    const built = {
      server: { server: {} as FakeProtocol },
      mode: 'modern',
      active: 0,
    } as unknown as BuiltServer;
    created.push(built);
    return built;
  };
  return { pool: new ServerPool(build, size), created };
}

const protocolOf = (built: BuiltServer) => built.server.server as unknown as FakeProtocol;
/** What the SDK does when an exchange's transport closes: forget the transport, then call onclose. */
const endExchange = (built: BuiltServer) => {
  protocolOf(built).transport = undefined;
  protocolOf(built).onclose?.();
};

describe('ServerPool', () => {
  it('reuses a server once its exchange ended, and builds only when none is idle', () => {
    const { pool, created } = poolWith(2);
    const first = pool.acquire();
    expect(pool.acquire()).not.toBe(first);
    endExchange(first);
    expect(pool.acquire()).toBe(first);
    expect(created).toHaveLength(2);
  });

  it('keeps a server whose handler still runs out of the pool until that handler finishes', async () => {
    const { pool } = poolWith(2);
    const built = pool.acquire();
    let finish!: () => void;
    const running = track(built, () => new Promise<void>((resolve) => (finish = resolve)));
    endExchange(built);
    expect(pool.idleCount).toBe(0);
    expect(pool.acquire()).not.toBe(built);
    finish();
    await running;
    expect(pool.idleCount).toBe(1);
    expect(pool.acquire()).toBe(built);
  });

  it('never takes back a server that is connected again', () => {
    const { pool } = poolWith(2);
    const built = pool.acquire();
    protocolOf(built).onclose?.call(undefined);
    expect(pool.idleCount).toBe(1);
    const again = pool.acquire();
    protocolOf(again).transport = {};
    protocolOf(again).onclose?.();
    expect(pool.idleCount).toBe(0);
  });

  it('keeps no more idle servers than its size', () => {
    const { pool } = poolWith(1);
    const [a, b] = [pool.acquire(), pool.acquire()];
    endExchange(a);
    endExchange(b);
    expect(pool.idleCount).toBe(1);
    expect(pool.acquire()).toBe(a);
  });
});
