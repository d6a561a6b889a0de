import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ClientRepository, type ClientRecord } from '@app/oauth-store';
import { authzConfig } from '../config/authz.config';

/** Client lookup; seeds the pre-registered clients from config into the store at boot. */
@Injectable()
export class ClientsService implements OnModuleInit {
  constructor(
    private readonly clients: ClientRepository,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const client of this.config.staticClients) await this.clients.save(client);
  }

  /** Unknown, malformed (arrays from repeated parameters) or absent ids all read as "no such client". */
  async find(clientId: unknown): Promise<ClientRecord | undefined> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 256) return undefined;
    return this.clients.find(clientId);
  }

  save(client: ClientRecord): Promise<void> {
    return this.clients.save(client);
  }
}
