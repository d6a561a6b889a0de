import { Injectable } from '@nestjs/common';
import { GrantRepository, RevokedTokenRepository } from '@app/oauth-store';

/** The one place that turns "revoke" into deny-list entries, so every path revokes the same way. */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly grants: GrantRepository,
    private readonly revoked: RevokedTokenRepository,
  ) {}

  /**
   * Revokes a grant: its refresh tokens stop working (they check the grant) and every access token issued from
   * it is deny-listed until it expires (RFC 6749 §4.1.2 code replay, RFC 9700 §4.14.2 refresh reuse, RFC 7009).
   */
  async revokeGrant(grantId: string): Promise<void> {
    const grant = await this.grants.revoke(grantId, Date.now());
    if (!grant) return;
    await Promise.all(grant.accessTokens.map((token) => this.revoked.add(token.jti, token.expiresAt)));
  }

  revokeAccessToken(jti: string, expiresAt: number): Promise<void> {
    return this.revoked.add(jti, expiresAt);
  }

  isRevoked(jti: string): Promise<boolean> {
    return this.revoked.isRevoked(jti);
  }
}
