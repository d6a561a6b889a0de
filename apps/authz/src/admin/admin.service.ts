import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/observability';
import { ClientRepository, GrantRepository, type ClientRecord, type GrantRecord } from '@app/oauth-store';
import { listSigningKeys, rotateSigningKeys, type KeyView, type RotationResult } from '../keys/key-rotation';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import type { AdminConfig } from './admin.config';

export const ADMIN_CONFIG = Symbol('ADMIN_CONFIG');

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const INTERNAL_TIMEOUT_MS = 3_000;

export interface ClientView {
  client_id: string;
  client_name?: string;
  /** configured: AUTHZ_CLIENTS or built in, never stored; registered: dynamic registration, in the store. */
  kind: 'configured' | 'registered';
  token_endpoint_auth_method: string;
  redirect_uris: string[];
  scopes: string[];
  registered_at?: string;
  last_used_at?: string;
  expires_at?: string;
}

export interface GrantView {
  grant_id: string;
  client_id: string;
  subject: string;
  scopes: string[];
  status: 'active' | 'revoked';
  created_at: string;
  expires_at: string;
  revoked_at?: string;
  provider?: string;
}

/** How the running resource servers learnt of a revocation. */
export type Announced = 'redis' | 'authz' | `not announced: ${string}`;

/** Which grants to list: exactly one of the two. */
export type GrantFilter = { subject: string } | { client: string };

function clientView(client: ClientRecord): ClientView {
  return {
    client_id: client.clientId,
    client_name: client.clientName,
    kind: client.preRegistered ? 'configured' : 'registered',
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    scopes: client.scopes,
    registered_at: client.preRegistered ? undefined : iso(client.clientIdIssuedAt * 1000),
    last_used_at: iso(client.lastUsedAt),
    expires_at: iso(client.expiresAt),
  };
}

function grantView(grant: GrantRecord): GrantView {
  return {
    grant_id: grant.grantId,
    client_id: grant.clientId,
    subject: grant.subject,
    scopes: grant.scopes,
    status: grant.revokedAt === undefined ? 'active' : 'revoked',
    created_at: iso(grant.createdAt)!,
    expires_at: iso(grant.expiresAt)!,
    revoked_at: iso(grant.revokedAt),
    provider: grant.identity?.provider,
  };
}

/**
 * The admin CLI's commands, against the store authz uses (SQLite file or Redis). Revocations go through
 * TokenRevocationService like authz's own, so they are recorded and published the same way; with SQLite the
 * running authz is then asked to announce them on its push channel (POST /internal/revocations), as the
 * resource servers listen to it, not to this process.
 */
@Injectable()
export class AdminService {
  constructor(
    @Inject(ADMIN_CONFIG) private readonly config: AdminConfig,
    private readonly clients: ClientRepository,
    private readonly grants: GrantRepository,
    private readonly revocation: TokenRevocationService,
    private readonly audit: AuditTrail,
  ) {}

  async listClients(): Promise<ClientView[]> {
    return [...this.config.authz.staticClients, ...(await this.clients.list())].map(clientView);
  }

  async showClient(clientId: string): Promise<ClientView & { grants: { active: number; revoked: number } }> {
    const client = await this.findClient(clientId);
    const grants = await this.grants.listByClient(clientId);
    const revoked = grants.filter((grant) => grant.revokedAt !== undefined).length;
    return { ...clientView(client), grants: { active: grants.length - revoked, revoked } };
  }

  /**
   * Deletes a registered client's registration (a configured one lives in configuration: remove it there) and
   * revokes every live grant it holds, so every token issued to it is refused.
   */
  async revokeClient(clientId: string): Promise<{
    client_id: string;
    registration_deleted: boolean;
    grants_revoked: string[];
    announced: Announced;
  }> {
    const client = await this.findClient(clientId);
    const registered = !client.preRegistered;
    if (registered) await this.clients.delete(clientId);
    const revoked = await this.revocation.revokeClient(clientId);
    this.audit.record({
      type: 'client.revoked',
      client_id: clientId,
      grants_revoked: revoked.length,
      registration_deleted: registered,
    });
    const announced = await this.announce({ grant_ids: revoked, client_id: clientId });
    return { client_id: clientId, registration_deleted: registered, grants_revoked: revoked, announced };
  }

  async listGrants(filter: GrantFilter): Promise<GrantView[]> {
    const grants =
      'subject' in filter
        ? await this.grants.listBySubject(filter.subject)
        : await this.grants.listByClient(filter.client);
    return grants.map(grantView);
  }

  async revokeGrant(grantId: string): Promise<{ grant_id: string; was: string; announced: Announced }> {
    const was = await this.revocation.grantStatus(grantId);
    if (was === 'unknown') throw new Error(`no grant ${grantId} (unknown, or expired)`);
    await this.revocation.revokeGrant(grantId);
    const announced = await this.announce({ grant_ids: [grantId] });
    return { grant_id: grantId, was, announced };
  }

  listKeys(): Promise<KeyView[]> {
    return listSigningKeys(this.config.authz);
  }

  rotateKeys(): Promise<RotationResult> {
    return rotateSigningKeys(this.config.authz);
  }

  /** The open MCP sessions of the mcp at MCP_INTERNAL_URL (its GET /internal/sessions). */
  async listSessions(): Promise<{ stateless: boolean; sessions: Record<string, unknown>[] }> {
    const url = `${this.config.mcpInternalUrl}/internal/sessions`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(INTERNAL_TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`mcp at ${url} did not answer (${(error as Error).message}): check MCP_INTERNAL_URL`, {
        cause: error,
      });
    }
    if (!response.ok) throw new Error(`mcp at ${url} answered ${response.status}: check MCP_INTERNAL_URL`);
    return (await response.json()) as { stateless: boolean; sessions: Record<string, unknown>[] };
  }

  private async findClient(clientId: string): Promise<ClientRecord> {
    const client =
      this.config.authz.staticClients.find((configured) => configured.clientId === clientId) ??
      (await this.clients.find(clientId));
    if (!client) throw new Error(`no client ${clientId} (neither configured nor registered)`);
    return client;
  }

  /**
   * Cluster mode: TokenRevocationService already published on Redis, where every resource server listens. SQLite:
   * the running authz announces them on its stream. Not running: nobody holds a stream then, and resource servers
   * ask authz again when it is back (a restarted authz makes them forget every grant), so nothing is lost.
   */
  private async announce(body: { grant_ids: string[]; client_id?: string }): Promise<Announced> {
    if (this.config.authz.store.backend === 'redis') return 'redis';
    const problems: string[] = [];
    for (const base of this.config.authzInternalUrls) {
      const url = `${base}/internal/revocations`;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(INTERNAL_TIMEOUT_MS),
        });
        await response.body?.cancel();
        if (response.ok) return 'authz';
        problems.push(`authz at ${url} answered ${response.status}`);
      } catch (error) {
        problems.push(`authz at ${url} did not answer (${(error as Error).message})`);
      }
    }
    return `not announced: ${problems.join('; ')}; it is not running, or set AUTHZ_INTERNAL_URL`;
  }
}
