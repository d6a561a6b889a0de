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
   * Client-wide revocation: every live grant of the client is revoked (and announced), then every resource
   * server is told to refuse the client's tokens issued until now, covering a grant issued while this ran. What
   * a resource server that starts later, or resyncs, asks about is the grants, all revoked in the store. Answers
   * the grants this call revoked.
   */
  async revokeClient(clientId: string): Promise<string[]> {
    const revoked: string[] = [];
    for (const grant of await this.grants.listByClient(clientId)) {
      if (grant.revokedAt !== undefined) continue;
      await this.revokeGrant(grant.grantId);
      revoked.push(grant.grantId);
    }
    await this.publishClientRevoked(clientId);
    return revoked;
  }

  /**
   * Announces, on this process's push channel, grants another process sharing the store revoked (the admin CLI
   * against SQLite): only those the store says are revoked. Answers how many were announced.
   */
  async announceRevokedGrants(grantIds: readonly string[]): Promise<number> {
    let announced = 0;
    for (const grantId of grantIds) {
      if ((await this.grantStatus(grantId)) !== 'revoked') continue;
      await this.broadcaster.publish({ type: 'grant-revoked', grant_id: grantId });
      announced += 1;
    }
    return announced;
  }

  /** Announces a client revoked by another process, only if the store holds no active grant of it. */
  async announceRevokedClient(clientId: string): Promise<boolean> {
    const grants = await this.grants.listByClient(clientId);
    if (grants.some((grant) => grant.revokedAt === undefined)) return false;
    await this.publishClientRevoked(clientId);
    return true;
  }

  private publishClientRevoked(clientId: string): Promise<void> {
    return this.broadcaster.publish({
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
