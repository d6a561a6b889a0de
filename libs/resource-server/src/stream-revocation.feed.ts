import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createParser } from 'eventsource-parser';
import type { OutageLog } from './outage-log';
import { parseRevocationEvent, REVOCATION_STREAM_PATH } from './revocation-event';
import { RevocationFeed, type RevocationListener } from './revocation-feed';

export const CHANNEL_DOWN = 'revocation channel down';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
/** A stream that stays silent for this many heartbeats is presumed dead (a half-open connection). */
const MISSED_HEARTBEATS = 3;

/**
 * Revocations on authz's internal stream (`GET /internal/revocations`, text/event-stream, read with
 * eventsource-parser): the channel of a resource server without STORE_URL. The stream is trusted from its
 * `hello` on, which names authz's epoch; it is reconnected with backoff whenever it ends, fails or falls silent
 * for three heartbeats, each time to the next authz instance (in a cluster every instance's stream carries every
 * instance's revocations, relayed through Redis; a new instance is a new epoch, so a resync).
 */
export class StreamRevocationFeed extends RevocationFeed {
  up = false;
  private listener?: RevocationListener;
  private current?: ClientRequest;
  private idle?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private attempts = 0;
  private epoch?: string;
  private stopped = false;
  private readonly urls: URL[];
  /** The instance the current (or next) connection goes to. */
  private instance = 0;

  constructor(
    authzInternalUrls: readonly string[],
    private readonly connectTimeoutMs: number,
    private readonly outages: OutageLog,
  ) {
    super();
    this.urls = authzInternalUrls.map((base) => new URL(`${base}${REVOCATION_STREAM_PATH}`));
  }

  start(listener: RevocationListener): void {
    this.listener = listener;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.idle);
    this.current?.destroy();
    this.current = undefined;
    this.up = false;
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.urls[this.instance];
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, {
      headers: { Accept: 'text/event-stream' },
      // Its own connection: a pooled keep-alive socket would be held for as long as the stream lives anyway.
      agent: false,
      timeout: this.connectTimeoutMs,
    });
    this.current = req;
    req.on('response', (res) => {
      if (res.statusCode !== 200 || !/^text\/event-stream/i.test(res.headers['content-type'] ?? '')) {
        res.resume();
        return this.drop(req, `authz answered the revocation stream with ${res.statusCode}`);
      }
      req.setTimeout(0);
      // Until its hello names a heartbeat, a stream has the connect timeout to say anything at all.
      this.idle = setTimeout(
        () => this.drop(req, 'authz sent no hello on the revocation stream'),
        this.connectTimeoutMs,
      );
      this.idle.unref();
      const parser = createParser({ onEvent: (message) => this.onMessage(req, message.data) });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.idle?.refresh();
        parser.feed(chunk);
      });
      res.on('end', () => this.drop(req, 'authz ended the revocation stream'));
      res.on('close', () => this.drop(req, 'the revocation stream closed'));
    });
    req.on('timeout', () => req.destroy(new Error('connecting to the revocation stream timed out')));
    req.on('error', (error) => this.drop(req, error.message));
    req.end();
  }

  private onMessage(req: ClientRequest, data: string): void {
    if (req !== this.current) return;
    const event = parseRevocationEvent(data);
    if (!event) return;
    if (event.type === 'hello') return this.synced(req, event.epoch, event.heartbeat_ms);
    if (!this.up) return;
    if (event.type === 'grant-revoked') this.listener!.grantRevoked(event.grant_id);
    else if (event.type === 'client-revoked') this.listener!.clientRevoked(event.client_id, event.at);
    else this.listener!.keysChanged();
  }

  private synced(req: ClientRequest, epoch: string, heartbeatMs: number | undefined): void {
    clearTimeout(this.idle);
    if (heartbeatMs !== undefined && heartbeatMs > 0) {
      this.idle = setTimeout(
        () => this.drop(req, 'authz sent no heartbeat on the revocation stream'),
        heartbeatMs * MISSED_HEARTBEATS,
      );
      this.idle.unref();
    }
    const restarted = this.epoch !== undefined && this.epoch !== epoch;
    this.epoch = epoch;
    this.attempts = 0;
    this.up = true;
    this.listener!.resync(
      restarted ? `authz restarted (epoch ${epoch})` : `stream connected (epoch ${epoch})`,
    );
    this.outages.recovered(CHANNEL_DOWN, `revocation stream from authz is up again (epoch ${epoch})`);
  }

  /** Ends one connection, once, and schedules the next attempt. */
  private drop(req: ClientRequest, reason: string): void {
    if (req !== this.current) return;
    this.current = undefined;
    clearTimeout(this.idle);
    req.destroy();
    this.up = false;
    if (this.stopped) return;
    this.listener!.lost(reason);
    this.outages.report(CHANNEL_DOWN, `${reason}; checking grants with authz per request meanwhile`);
    this.instance = (this.instance + 1) % this.urls.length;
    const delay = Math.min(RECONNECT_MIN_MS * 2 ** this.attempts++, RECONNECT_MAX_MS);
    this.retry = setTimeout(() => this.connect(), delay);
    this.retry.unref();
  }
}
