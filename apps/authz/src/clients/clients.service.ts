import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ClientRepository, type ClientRecord } from '@app/oauth-store';
import { ClientMetadataResolver } from '../cimd/client-metadata.resolver';
import { authzConfig } from '../config/authz.config';

const MARK_USED_INTERVAL_MS = 60_000;

/**
 * Client lookup. Configured clients come from configuration on every boot and are never stored, so removing one
 * from AUTHZ_CLIENTS removes it, whatever the store remembers. Dynamically registered clients live in the
 * store, bounded: never used within AUTHZ_DCR_UNUSED_TTL they expire; each use keeps them for the refresh-token
 * lifetime (by then every refresh token they held has expired too); the store caps how many are live. Client ID
 * Metadata Document clients, whose client_id is the URL of their metadata, are resolved from the document and
 * never stored; a configured client with a URL client_id wins (CIMD §7.2 pre-registration).
 */
@Injectable()
export class ClientsService {
  private readonly configured: Map<string, ClientRecord>;
  private readonly usedLifetimeMs: number;

  constructor(
    private readonly clients: ClientRepository,
    private readonly documents: ClientMetadataResolver,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {
    this.configured = new Map(config.staticClients.map((client) => [client.clientId, client]));
    this.usedLifetimeMs = Math.max(config.ttl.refreshToken * 1000, config.dcr.unusedTtlMs);
  }

  /**
   * Unknown, malformed (arrays from repeated parameters) or absent ids all read as "no such client". A metadata
   * document that cannot be used throws InvalidClientError saying why (CIMD §5.1: abort the request).
   */
  async find(clientId: unknown): Promise<ClientRecord | undefined> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 256) return undefined;
    const configured = this.configured.get(clientId);
    if (configured) return configured;
    if (this.documents.handles(clientId)) return this.documents.resolve(clientId);
    return this.clients.find(clientId);
  }

  /** Stores a dynamically registered client, forgotten unless used within AUTHZ_DCR_UNUSED_TTL. */
  register(client: ClientRecord): Promise<void> {
    return this.clients.save({ ...client, expiresAt: Date.now() + this.config.dcr.unusedTtlMs });
  }

  /**
   * A completed authorization or token request: the client is in use, keep it. Written at most once a minute per
   * client (`lastUsedAt`, when the caller read the record): against lifetimes of days, a minute is no difference,
   * and a busy client's every token request would otherwise be one more durable write.
   */
  async markUsed(clientId: string, lastUsedAt?: number): Promise<void> {
    if (this.configured.has(clientId) || this.documents.handles(clientId)) return;
    const now = Date.now();
    if (lastUsedAt !== undefined && now - lastUsedAt < MARK_USED_INTERVAL_MS) return;
    await this.clients.markUsed(clientId, now, now + this.usedLifetimeMs);
  }
}
