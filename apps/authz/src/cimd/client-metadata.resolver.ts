import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InvalidClientError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import { authzConfig } from '../config/authz.config';
import { GuardedHttpClient } from '../outbound/guarded-http.client';
import { OutboundFetchError } from '../outbound/outbound-fetch.error';
import { clientIdUrlProblem, looksLikeClientIdUrl } from './client-id-url';
import { ClientMetadataCache } from './client-metadata.cache';
import { clientFromMetadataDocument, InvalidMetadataDocumentError } from './client-metadata-document';
import { documentHostProblem } from './document-host-policy';
import { documentLifetimeSeconds } from './document-lifetime';

/** CIMD §8.7: the recommended maximum to read. */
export const MAX_DOCUMENT_BYTES = 5 * 1024;

/** CIMD §4: JSON, as application/json or a more specific application/<type>+json. */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Resolves a Client ID Metadata Document client (draft-ietf-oauth-client-id-metadata-document): policy, cache,
 * then one guarded fetch per URL however many requests wait for it.
 */
@Injectable()
export class ClientMetadataResolver {
  private readonly inFlight = new Map<string, Promise<ClientRecord>>();

  constructor(
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
    private readonly http: GuardedHttpClient,
    private readonly cache: ClientMetadataCache,
  ) {}

  /** Whether this client_id names a metadata document (rather than a registered or configured client). */
  handles(clientId: string): boolean {
    return this.config.cimd.enabled && looksLikeClientIdUrl(clientId, this.config.cimd.allowLoopback);
  }

  /** The client the document describes; InvalidClientError saying why when it cannot be used. */
  async resolve(url: string): Promise<ClientRecord> {
    const problem =
      clientIdUrlProblem(url, this.config.cimd.allowLoopback) ??
      documentHostProblem(new URL(url).hostname, this.config.cimd);
    if (problem)
      throw new InvalidClientError(`client_id cannot be used as a client metadata document URL: ${problem}.`);
    const cached = await this.cache.get(url);
    if (cached) return cached;
    let pending = this.inFlight.get(url);
    if (!pending) {
      pending = this.fetch(url).finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    return pending;
  }

  private async fetch(url: string): Promise<ClientRecord> {
    const unusable = (why: string) =>
      new InvalidClientError(`The client's metadata document at ${url} ${why}.`);
    let fetched;
    try {
      fetched = await this.http.get(url, MAX_DOCUMENT_BYTES);
    } catch (error) {
      if (error instanceof OutboundFetchError) throw unusable(`could not be fetched: ${error.message}`);
      throw error;
    }
    // CIMD §5: anything but 200 is an error, and errors are never cached (§5.2).
    if (fetched.status !== 200) throw unusable(`could not be fetched: HTTP ${fetched.status}`);
    if (!JSON_MEDIA_TYPE.test(String(fetched.headers['content-type'] ?? '')))
      throw unusable('is not served as JSON (Content-Type application/json)');
    let client: ClientRecord;
    try {
      client = clientFromMetadataDocument(
        url,
        JSON.parse(fetched.body.toString('utf8')),
        this.config.resources,
      );
    } catch (error) {
      if (error instanceof SyntaxError) throw unusable('is not valid JSON');
      if (error instanceof InvalidMetadataDocumentError) throw unusable(`is invalid: ${error.message}`);
      throw error;
    }
    const lifetime = documentLifetimeSeconds(fetched.headers, this.config.cimd.cacheSeconds);
    await this.cache.set(url, client, lifetime * 1000);
    return client;
  }
}
