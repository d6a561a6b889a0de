import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FetchImplementation } from 'jose';
import { authzConfig } from '../config/authz.config';
import { guardedGet, type FetchedResource, type OutboundPolicy } from './guarded-get';

/** Outbound GETs to client-supplied URLs, under the configured SSRF policy (see guardedGet). */
@Injectable()
export class GuardedHttpClient {
  private readonly policy: OutboundPolicy;

  constructor(@Inject(authzConfig.KEY) config: ConfigType<typeof authzConfig>) {
    this.policy = { allowLoopback: config.cimd.allowLoopback, timeoutMs: config.cimd.fetchTimeoutMs };
  }

  get(url: string, maxBytes: number, accept = 'application/json'): Promise<FetchedResource> {
    return guardedGet(url, this.policy, { maxBytes, accept });
  }

  /** The same GET in the shape jose's createRemoteJWKSet takes (its `customFetch` option). */
  asFetch(maxBytes: number): FetchImplementation {
    return async (url) => {
      const { status, headers, body } = await this.get(url, maxBytes);
      const flat = Object.entries(headers).flatMap(([name, value]) =>
        value === undefined
          ? []
          : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
      );
      return new Response(new Uint8Array(body), { status, headers: flat });
    };
  }
}
