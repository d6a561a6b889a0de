import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { ExpectedToken } from './access-token.verifier';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';
import type { VerifiedAccessToken } from './verified-access-token';

/**
 * Verified tokens by their exact text, each kept until its exp (plus the clock tolerance) and at most
 * `tokenCacheSize` of them (least recently used dropped first): a repeated token costs a lookup, not an RSA
 * verification. A hit still has to match this request's issuer and audience; revocation is checked on every
 * request by the caller, which drops the entry of a revoked token.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly cache: LRUCache<string, VerifiedAccessToken>;
  private readonly toleranceMs: number;

  constructor(@Inject(RESOURCE_SERVER_OPTIONS) options: ResolvedResourceServerOptions) {
    this.cache = new LRUCache({ max: options.tokenCacheSize });
    this.toleranceMs = options.clockToleranceSeconds * 1000;
  }

  get(token: string, expected: ExpectedToken): VerifiedAccessToken | undefined {
    const hit = this.cache.get(token);
    if (hit === undefined) return undefined;
    // A token verified on another alias is verified again, which yields the precise refusal.
    if (hit.issuer !== expected.issuer || !hit.audience.includes(expected.audience)) return undefined;
    if (hit.expiresAt * 1000 + this.toleranceMs <= Date.now()) {
      this.cache.delete(token);
      return undefined;
    }
    return hit;
  }

  set(token: string, verified: VerifiedAccessToken): void {
    const ttl = verified.expiresAt * 1000 + this.toleranceMs - Date.now();
    if (ttl > 0) this.cache.set(token, verified, { ttl });
  }

  delete(token: string): void {
    this.cache.delete(token);
  }
}
