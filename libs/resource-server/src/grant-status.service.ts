import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AccessTokenVerifier } from './access-token.verifier';
import { GrantStatusClient } from './grant-status.client';
import { OutageLog } from './outage-log';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';
import type { GrantState } from './revocation-event';
import { RevocationFeed, type RevocationListener } from './revocation-feed';
import { REFUSALS, type TokenRefusal } from './token-refusal';
import type { VerifiedAccessToken } from './verified-access-token';

interface GrantEntry {
  state: GrantState;
  checkedAt: number;
  /** Order of writes: an answer asked for before a newer write (a pushed revocation) never replaces it. */
  version: number;
}

/**
 * Whether a token's grant is still active, asked of authz once per grant and then kept up to date by the push
 * channel (RevocationFeed): no call to authz per request while the channel is up. While it is down, an active
 * answer is trusted for `fallbackMaxAgeMs` only, then asked again. Revoked and unknown are final. Authz that
 * cannot answer means 503 (fail closed); a grant authz does not know means invalid_token (fail closed), which is
 * what a token of a store lost in a restart gets.
 */
@Injectable()
export class GrantStatusService implements RevocationListener, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ResourceServer');
  private readonly grants: LRUCache<string, GrantEntry>;
  /** Client-wide revocations: client id -> tokens issued at or before this second are refused. */
  private readonly clients: LRUCache<string, number>;
  private readonly inFlight = new Map<string, Promise<GrantState>>();
  private version = 0;
  /** Bumped by every resync: answers asked for before it are not remembered. */
  private generation = 0;

  constructor(
    @Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions,
    private readonly client: GrantStatusClient,
    private readonly feed: RevocationFeed,
    private readonly outages: OutageLog,
    private readonly verifier: AccessTokenVerifier,
  ) {
    this.grants = new LRUCache({ max: options.grantCacheSize });
    // A client revocation matters only while tokens issued before it live.
    this.clients = new LRUCache({ max: 10_000, ttl: options.maxTokenAgeSeconds * 1000 });
  }

  onApplicationBootstrap(): void {
    this.feed.start(this);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.stop();
  }

  /** Undefined when the token's grant (and client) is in good standing. */
  async check(token: VerifiedAccessToken): Promise<TokenRefusal | undefined> {
    const clientRevokedAt = this.clients.get(token.clientId);
    if (clientRevokedAt !== undefined && token.issuedAt <= clientRevokedAt) return REFUSALS.revoked;
    const entry = this.grants.get(token.grantId);
    let state: GrantState;
    if (entry !== undefined && this.trusted(token.grantId, entry)) {
      state = entry.state;
    } else {
      try {
        state = await this.ask(token.grantId);
      } catch (error) {
        this.outages.report('grant status unavailable', (error as Error).message);
        return REFUSALS.statusUnavailable;
      }
    }
    if (state === 'active') return undefined;
    return state === 'revoked' ? REFUSALS.revoked : REFUSALS.unknownGrant;
  }

  resync(reason: string): void {
    this.generation++;
    this.grants.clear();
    this.inFlight.clear();
    this.logger.log(`revocations pushed again (${reason}); grant cache flushed`);
  }

  lost(reason: string): void {
    this.logger.debug(
      `revocation channel lost (${reason}): active grants are re-asked after ${this.options.fallbackMaxAgeMs} ms`,
    );
  }

  grantRevoked(grantId: string): void {
    this.grants.set(grantId, { state: 'revoked', checkedAt: Date.now(), version: ++this.version });
  }

  clientRevoked(clientId: string, at: number): void {
    this.clients.set(clientId, Math.max(at, this.clients.get(clientId) ?? 0));
  }

  /** Not about grants, but it comes by the same channel. */
  keysChanged(): void {
    this.verifier.keysChanged();
  }

  /** Revoked and unknown never change back; active is trusted as long as the channel vouches for it. */
  private trusted(grantId: string, entry: GrantEntry): boolean {
    if (entry.state !== 'active') return true;
    const age = Date.now() - entry.checkedAt;
    if (!this.feed.up) return age <= this.options.fallbackMaxAgeMs;
    // Belt and braces against a lost message: re-confirm now and then, without making this request wait.
    if (age > this.options.recheckActiveMs) this.ask(grantId).catch(() => undefined);
    return true;
  }

  /** One call per grant at a time, however many requests wait for it. */
  private ask(grantId: string): Promise<GrantState> {
    const pending = this.inFlight.get(grantId);
    if (pending) return pending;
    const version = this.version;
    const generation = this.generation;
    const asking = this.client.status(grantId).then(
      (state) => {
        if (this.inFlight.get(grantId) === asking) this.inFlight.delete(grantId);
        const current = this.grants.get(grantId);
        if (generation === this.generation && (current === undefined || current.version <= version)) {
          this.grants.set(grantId, { state, checkedAt: Date.now(), version: ++this.version });
        }
        return state;
      },
      (error: unknown) => {
        if (this.inFlight.get(grantId) === asking) this.inFlight.delete(grantId);
        throw error;
      },
    );
    this.inFlight.set(grantId, asking);
    return asking;
  }
}
