import { Injectable } from '@nestjs/common';
import { AccessTokenVerifier, type ExpectedToken } from './access-token.verifier';
import { GrantStatusService } from './grant-status.service';
import type { TokenRefusal } from './token-refusal';
import type { VerifiedAccessToken } from './verified-access-token';
import { VerifiedTokenCache } from './verified-token.cache';

/**
 * THE access-token check of a resource server: a token verified before (same text, same issuer and audience,
 * not expired) comes from the cache; any other is verified with jose against authz's JWKS. Then its grant must
 * be active, which the grant cache answers without calling authz while revocations are pushed.
 */
@Injectable()
export class ResourceServerAuthenticator {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly tokens: VerifiedTokenCache,
    private readonly grants: GrantStatusService,
  ) {}

  async authenticate(token: string, expected: ExpectedToken): Promise<VerifiedAccessToken | TokenRefusal> {
    let verified = this.tokens.get(token, expected);
    if (verified === undefined) {
      const result = await this.verifier.verify(token, expected);
      if (result.kind !== 'valid') return result;
      verified = result;
      this.tokens.set(token, verified);
    }
    const refusal = await this.grants.check(verified);
    if (refusal === undefined) return verified;
    // A revoked (or unknown-grant) token leaves the cache; a 503 says nothing about the token, so it stays.
    if (refusal.kind === 'unauthorized') this.tokens.delete(token);
    return refusal;
  }
}
