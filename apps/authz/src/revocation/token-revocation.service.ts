import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/observability';
import { GrantRepository } from '@app/oauth-store';
import type { GrantState } from '@app/resource-server';
import { RevocationBroadcaster } from './revocation-broadcaster';

/**
 * The one place that turns "revoke" into state and events, so every path revokes the same way. Access tokens
 * carry their grant's id (`grant_id`); a resource server accepts a token only while authz says its grant is
 * active, and learns of a revocation by push. Nothing is tracked per access token.
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly grants: GrantRepository,
    private readonly broadcaster: RevocationBroadcaster,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Revokes a grant: its refresh tokens stop working (they check the grant) and so does every access token
   * issued from it (RFC 7009 §2.1, RFC 6749 §4.1.2 code replay, RFC 9700 §4.14.2 refresh reuse).
   */
  async revokeGrant(grantId: string): Promise<void> {
    const grant = await this.grants.revoke(grantId, Date.now());
    if (!grant) return;
    await this.broadcaster.publish({ type: 'grant-revoked', grant_id: grantId });
    this.audit.record({
      type: 'token.revoked',
      sub: grant.subject,
      client_id: grant.clientId,
      grant_id: grantId,
    });
  }

  /**
   * Client-wide revocation (for an admin tool): every resource server refuses the client's tokens issued until
   * now. The caller also revokes the client's grants in the store (or deletes the client), which is what a
   * resource server that starts later, or resyncs, will be told.
   */
  async revokeClient(clientId: string): Promise<void> {
    await this.broadcaster.publish({
      type: 'client-revoked',
      client_id: clientId,
      at: Math.floor(Date.now() / 1000),
    });
  }

  /** What resource servers are told: unknown covers expired, never issued, and lost with the store. */
  async grantStatus(grantId: string): Promise<GrantState> {
    const grant = await this.grants.find(grantId);
    if (!grant) return 'unknown';
    return grant.revokedAt === undefined ? 'active' : 'revoked';
  }
}
