import type { ServerContext, Transport } from '@modelcontextprotocol/server';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { CallDrain, SHUTTING_DOWN_CODE } from './call-drain';

const ctx = (id: number) => ({ mcpReq: { id } }) as unknown as ServerContext;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transport() {
  const sent: unknown[] = [];
  return { sent, send: async (message: unknown) => void sent.push(message) } as unknown as Transport & {
    sent: unknown[];
  };
}

describe('CallDrain', () => {
  it('has nothing to wait for when idle', async () => {
    // A drain that waited out its limit would outlast the test's own timeout.
    await expect(new CallDrain().drain(600_000)).resolves.toBe(0);
  });

  it('waits for running calls that finish in time and answers none of them', async () => {
    const drain = new CallDrain();
    const wire = transport();
    const call = drain.run(ctx(1), wire, () => sleep(50).then(() => 'done'));
    await expect(drain.drain(5_000)).resolves.toBe(0);
    await expect(call).resolves.toBe('done');
    expect(wire.sent).toEqual([]);
  });

  it('answers a call still running at the deadline with a JSON-RPC error on its own exchange', async () => {
    const drain = new CallDrain();
    const [quick, stuck] = [transport(), transport()];
    void drain.run(ctx(1), quick, () => sleep(20));
    void drain.run(ctx(7), stuck, () => new Promise(() => undefined));
    const started = Date.now();
    await expect(drain.drain(200)).resolves.toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(quick.sent).toEqual([]);
    expect(stuck.sent).toEqual([
      {
        jsonrpc: '2.0',
        id: 7,
        error: { code: SHUTTING_DOWN_CODE, message: expect.stringMatching(/shutting down/) },
      },
    ]);
  });

  it('also waits for exchanges that have not reached a handler yet, until their response closes', async () => {
    const drain = new CallDrain();
    const res = new EventEmitter() as ServerResponse;
    const release = drain.track(res);
    let drained = false;
    const done = drain.drain(5_000).then(() => (drained = true));
    await sleep(30);
    expect(drained).toBe(false);
    res.emit('close');
    release(); // idempotent
    await done;
    expect(drained).toBe(true);
  });
});
