import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { SessionEventStore } from './session-event.store';

const note = (n: number) =>
  ({ jsonrpc: '2.0', method: 'notifications/message', params: { n } }) as JSONRPCMessage;
const PRIMING = {} as JSONRPCMessage;

async function replay(store: SessionEventStore, after: string) {
  const sent: [string, JSONRPCMessage][] = [];
  const streamId = await store.replayEventsAfter(after, {
    send: async (id, message) => void sent.push([id, message]),
  });
  return { streamId, sent };
}

describe('SessionEventStore', () => {
  it('replays what followed an event on its own stream only, without priming events', async () => {
    const store = new SessionEventStore(10);
    const first = await store.storeEvent('post-1', PRIMING);
    await store.storeEvent('post-2', note(99));
    const second = await store.storeEvent('post-1', note(1));
    await store.storeEvent('post-1', PRIMING);
    const third = await store.storeEvent('post-1', note(2));
    const { streamId, sent } = await replay(store, first);
    expect(streamId).toBe('post-1');
    expect(sent).toEqual([
      [second, note(1)],
      [third, note(2)],
    ]);
    expect(await store.getStreamIdForEventId(second)).toBe('post-1');
  });

  it('keeps only the newest events, so an evicted id is no longer known', async () => {
    const store = new SessionEventStore(2);
    const old = await store.storeEvent('s', note(1));
    await store.storeEvent('s', note(2));
    await store.storeEvent('s', note(3));
    expect(await store.getStreamIdForEventId(old)).toBeUndefined();
    expect((await replay(store, old)).sent).toEqual([]);
  });

  it('knows nothing of ids it did not issue (another session has its own store)', async () => {
    const [mine, theirs] = [new SessionEventStore(5), new SessionEventStore(5)];
    const foreign = await theirs.storeEvent('s', note(1));
    await theirs.storeEvent('s', note(2));
    await mine.storeEvent('s', note(3));
    expect(await mine.getStreamIdForEventId(foreign)).toBeUndefined();
    expect((await replay(mine, foreign)).sent).toEqual([]);
  });
});
