import { Logger } from '@nestjs/common';
import { OutageLog } from './outage-log';
import { resolveResourceServerOptions } from './resource-server.options';
import type { RevocationListener } from './revocation-feed';
import { StreamRevocationFeed } from './stream-revocation.feed';
import { FakeAuthz, sleep, until } from './testing';

/** Everything the feed tells its listener, in order. */
class Recorder implements RevocationListener {
  readonly heard: string[] = [];
  resync(reason: string): void {
    this.heard.push(`resync ${reason}`);
  }
  lost(reason: string): void {
    this.heard.push(`lost ${reason}`);
  }
  grantRevoked(grantId: string): void {
    this.heard.push(`grant ${grantId}`);
  }
  clientRevoked(clientId: string, at: number): void {
    this.heard.push(`client ${clientId} ${at}`);
  }
  keysChanged(): void {
    this.heard.push('keys changed');
  }
}

describe('StreamRevocationFeed (single-process mode: authz internal stream)', () => {
  let authz: FakeAuthz;
  let feed: StreamRevocationFeed;
  let outages: OutageLog;
  let listener: Recorder;

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  beforeEach(async () => {
    authz = await FakeAuthz.start();
    const options = resolveResourceServerOptions({
      authzInternalUrls: [authz.url],
      clockToleranceSeconds: 0,
      jwksCooldownMs: 0,
      jwksCacheMaxAgeMs: 1000,
      authzTimeoutMs: 500,
    });
    outages = new OutageLog(options);
    feed = new StreamRevocationFeed([authz.url], 500, outages);
    listener = new Recorder();
  });
  afterEach(async () => {
    await feed.stop();
    outages.onApplicationShutdown();
    await authz.close();
  });

  it('is up from the hello on, and passes grant and client revocations along in order', async () => {
    expect(feed.up).toBe(false);
    feed.start(listener);
    await until(() => feed.up);
    authz.revoke('g-1');
    authz.push({ type: 'client-revoked', client_id: 'c-1', at: 42 });
    authz.push({ type: 'grant-revoked', grant_id: 'bad/id' } as never); // malformed: ignored
    authz.revoke('g-2');
    authz.push({ type: 'keys-changed' });
    await until(() => listener.heard.length === 5);
    expect(listener.heard).toEqual([
      `resync stream connected (epoch ${authz.epoch})`,
      'grant g-1',
      'client c-1 42',
      'grant g-2',
      'keys changed',
    ]);
  });

  it('reports the loss of the stream, reconnects, and resyncs naming a new epoch after an authz restart', async () => {
    feed.start(listener);
    await until(() => feed.up);
    authz.restartWithLostStore();
    await until(() => listener.heard.length === 3);
    expect(listener.heard[1]).toMatch(/^lost /);
    expect(listener.heard[2]).toBe(`resync authz restarted (epoch ${authz.epoch})`);
    expect(feed.up).toBe(true);
  });

  it('keeps retrying while authz refuses the stream, and stays down meanwhile', async () => {
    authz.streamRefused = true;
    feed.start(listener);
    await sleep(600);
    expect(feed.up).toBe(false);
    expect(
      listener.heard.every((line) => line.startsWith('lost authz answered the revocation stream with 503')),
    ).toBe(true);
    authz.streamRefused = false;
    await until(() => feed.up, 5000);
  });

  it('drops a stream that sends nothing for three heartbeats (half-open) and reconnects', async () => {
    authz.heartbeatMs = 100;
    feed.start(listener);
    await until(() => feed.up);
    authz.silent = true;
    authz.streams.clear(); // the old connection stays open but nothing more comes on it
    const started = Date.now();
    await until(() => listener.heard.some((line) => line.startsWith('lost authz sent no heartbeat')), 2000);
    expect(Date.now() - started).toBeLessThan(600);
    authz.silent = false;
    await until(() => feed.up && listener.heard.filter((line) => line.startsWith('resync')).length === 2);
  });

  it('drops a stream that never says hello within the connect timeout', async () => {
    const silentStream = await FakeAuthz.start();
    const other = new StreamRevocationFeed([silentStream.url], 200, outages);
    silentStream.epoch = ''; // a hello without an epoch is no hello
    try {
      other.start(listener);
      await until(() =>
        listener.heard.some((line) => line === 'lost authz sent no hello on the revocation stream'),
      );
      expect(other.up).toBe(false);
    } finally {
      await other.stop();
      await silentStream.close();
    }
  });

  it('stops for good: no reconnect after stop()', async () => {
    feed.start(listener);
    await until(() => feed.up);
    await feed.stop();
    authz.cutStreams();
    await sleep(400);
    expect(authz.streams.size).toBe(0);
    expect(listener.heard.filter((line) => line.startsWith('lost'))).toEqual([]);
  });
});
