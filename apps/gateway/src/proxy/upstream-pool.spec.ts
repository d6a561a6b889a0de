import { UpstreamPool } from './upstream-pool';

const pool = (count: number, cooldownMs = 1_000) =>
  new UpstreamPool(
    'mcp',
    Array.from({ length: count }, (_, i) => `http://127.0.0.1:${9000 + i}`),
    { idleMs: 1_000, cooldownMs, endpoints: false },
    () => undefined,
  );
const ports = (picked: ({ url: URL } | undefined)[]) => picked.map((instance) => instance?.url.port);

describe('UpstreamPool', () => {
  afterEach(() => jest.useRealTimers());

  it('hands out its instances in turn', () => {
    const three = pool(3);
    expect(ports([three.pick(), three.pick(), three.pick(), three.pick()])).toEqual([
      '9000',
      '9001',
      '9002',
      '9000',
    ]);
    three.close();
  });

  it('skips an instance during its cooldown and takes it back after', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const two = pool(2, 500);
    two.markDown(two.instances[1]);
    expect(ports([two.pick(), two.pick(), two.pick()])).toEqual(['9000', '9000', '9000']);
    jest.setSystemTime(1_000_501);
    expect(ports([two.pick(), two.pick()])).toEqual(['9001', '9000']);
    two.close();
  });

  it('goes on rotating when every instance is cooling down, so a recovered pool is found at once', () => {
    const two = pool(2);
    for (const instance of two.instances) two.markDown(instance);
    expect(ports([two.pick(), two.pick(), two.pick()])).toEqual(['9000', '9001', '9000']);
    two.close();
  });

  it('offers a retry only instances not tried yet for that request', () => {
    const two = pool(2);
    const first = two.pick()!;
    expect(two.pick(new Set([first]))?.url.port).toBe('9001');
    expect(two.pick(new Set(two.instances))).toBeUndefined();
    const one = pool(1);
    expect(one.pick(new Set(one.instances))).toBeUndefined();
    two.close();
    one.close();
  });

  it('names a resource upstream’s endpoint path, and keeps base URLs as they are', () => {
    const endpoints = new UpstreamPool(
      '/echo/mcp',
      ['http://127.0.0.1:1/rpc', 'http://127.0.0.1:2'],
      { idleMs: 1_000, cooldownMs: 1_000, endpoints: true },
      () => undefined,
    );
    expect(endpoints.instances.map((instance) => instance.endpointPath)).toEqual(['/rpc', undefined]);
    expect(pool(1).instances[0].endpointPath).toBeUndefined();
    endpoints.close();
  });
});
