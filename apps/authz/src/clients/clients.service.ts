import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ClientRepository, type ClientRecord } from '@app/oauth-store';
import { ClientMetadataResolver } from '../cimd/client-metadata.resolver';
import { authzConfig } from '../config/authz.config';

/**
 * Client lookup: configured and dynamically registered clients from the store (seeded from config at boot),
 * then Client ID Metadata Document clients, whose client_id is the URL of their metadata. A stored client wins,
 * so an operator can pre-register a URL client_id (CIMD §7.2).
 */
@Injectable()
export class ClientsService implements OnModuleInit {
  constructor(
    private readonly clients: ClientRepository,
    private readonly documents: ClientMetadataResolver,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const client of this.config.staticClients) await this.clients.save(client);
  }

  /**
   * Unknown, malformed (arrays from repeated parameters) or absent ids all read as "no such client". A metadata
   * document that cannot be used throws InvalidClientError saying why (CIMD §5.1: abort the request).
   */
  async find(clientId: unknown): Promise<ClientRecord | undefined> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 256) return undefined;
    const stored = await this.clients.find(clientId);
    if (stored || !this.documents.handles(clientId)) return stored;
    return this.documents.resolve(clientId);
  }

  save(client: ClientRecord): Promise<void> {
    return this.clients.save(client);
  }
}
