import { Injectable, Logger } from '@nestjs/common';
import { SharedCache, type ClientRecord } from '@app/oauth-store';
import { sha256 } from '../common/random';

const keyOf = (url: string) => `cimd:${sha256(url)}`;

/**
 * Validated metadata documents by URL (CIMD §5.2), each for its own lifetime, in the store's SharedCache: shared
 * by every instance when STORE_URL is set, so one fetch serves them all. Only documents that passed validation are
 * put here; errors and invalid documents never are. The cache only saves fetches: when it cannot be reached, the
 * document is fetched as if it had never been cached.
 */
@Injectable()
export class ClientMetadataCache {
  private readonly logger = new Logger(ClientMetadataCache.name);

  constructor(private readonly cache: SharedCache) {}

  async get(url: string): Promise<ClientRecord | undefined> {
    try {
      const cached = await this.cache.get(keyOf(url));
      return cached === undefined ? undefined : (JSON.parse(cached) as ClientRecord);
    } catch (error) {
      this.logger.warn(`metadata document cache unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(url: string, client: ClientRecord, ttlMs: number): Promise<void> {
    try {
      await this.cache.set(keyOf(url), JSON.stringify(client), ttlMs);
    } catch (error) {
      this.logger.warn(`metadata document cache unavailable: ${(error as Error).message}`);
    }
  }
}
