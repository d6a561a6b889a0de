import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendOAuthError, TemporarilyUnavailableError } from '@app/oauth-errors';
import { REVOCATION_STREAM_PATH, type RevocationEvent } from '@app/resource-server';
import type { FrontDoor } from '@app/runtime';
import { SigningKeysService } from '../keys/signing-keys.service';
import { RevocationBroadcaster } from '../revocation/revocation-broadcaster';
import { assertInternalRequest } from './internal-request';

/** A comment line at least this often, so a resource server notices a half-open stream within 3 of them. */
export const REVOCATION_HEARTBEAT_MS = 5_000;
/** A stream that does not drain (a stuck reader) is cut rather than buffered without bound; it reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const KEEPALIVE = ': keepalive\n\n';
const RETRY_AFTER_SECONDS = 1;
const KEYS_CHANGED: RevocationEvent = { type: 'keys-changed' };

/**
 * GET /internal/revocations: the push channel of a resource server without STORE_URL, a text/event-stream per
 * resource server. The first event is `hello` with this process's epoch; then every revocation as it happens
 * (one `data:` line of JSON each, see @app/resource-server's RevocationEvent; in cluster mode the other
 * instances' too, relayed by RevocationBroadcaster), and heartbeat comments in between. A stream is offered only
 * while it carries every revocation: in cluster mode, while this instance hears the Redis channel. Private: the
 * gateway never routes /internal.
 */
@Injectable()
export class RevocationStreamFrontDoor implements FrontDoor, OnModuleDestroy {
  /** One line per stream at its end would carry nothing useful (its duration is the resource server's uptime). */
  readonly accessLog = false;
  private readonly streams = new Set<ServerResponse>();
  private readonly unsubscribe: (() => void)[];
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly broadcaster: RevocationBroadcaster,
    keys: SigningKeysService,
  ) {
    this.unsubscribe = [
      broadcaster.subscribe({
        event: (json) => this.send(`data: ${json}\n\n`),
        // Revocations of other instances were missed: the streams end, their readers fall back and reconnect.
        gap: () => this.endAll(),
      }),
      // A rotation, once this instance signs with and publishes the new key: readers refetch the JWKS now.
      keys.onChange(() => this.send(`data: ${JSON.stringify(KEYS_CHANGED)}\n\n`)),
    ];
  }

  matches(_req: IncomingMessage, path: string): boolean {
    return path === REVOCATION_STREAM_PATH;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      // POST is RevocationAnnounceFrontDoor's (matched first); anything else is neither.
      assertInternalRequest(req, 'GET, POST');
      if (!this.broadcaster.complete) {
        throw new TemporarilyUnavailableError(
          'This instance does not hear the revocation channel right now; use another, or retry shortly.',
          RETRY_AFTER_SECONDS,
        );
      }
    } catch (error) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      return sendOAuthError(res, error);
    }
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    const hello: RevocationEvent = {
      type: 'hello',
      epoch: this.broadcaster.epoch,
      heartbeat_ms: REVOCATION_HEARTBEAT_MS,
    };
    res.write(`data: ${JSON.stringify(hello)}\n\n`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    this.heartbeat ??= setInterval(() => this.send(KEEPALIVE), REVOCATION_HEARTBEAT_MS).unref();
  }

  /** Ends every stream at shutdown, so the server can close; resource servers fall back and reconnect. */
  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    clearInterval(this.heartbeat);
    this.endAll();
  }

  private endAll(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private send(chunk: string): void {
    for (const res of this.streams) {
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      else res.write(chunk);
    }
  }
}
