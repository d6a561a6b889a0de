import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Optional } from '@nestjs/common';
import { IdentityAssertions } from '../enforcement/identity-assertion.service';
import { stripIdentityHeaders } from '../enforcement/identity-headers';
import { listRewrite } from '../enforcement/list-rewrite';
import { ResourceGuard, type Admission } from '../enforcement/resource-guard.service';
import type { GatewayRoute, ResourceRoute } from '../routing/route-table';
import type { GatewayError } from './gateway-errors';
import { SESSION_HEADER, SessionAffinity, type SessionRecord } from './session-affinity';
import { UpstreamProxyService, type ForwardOptions } from './upstream-proxy.service';

const sessionGone = (): GatewayError => ({
  status: 404,
  error: 'not_found',
  description: 'Session not found',
  rpcCode: -32001,
});

/**
 * The MCP endpoints of the route table. Every one gets session affinity when its pool has several instances (or
 * the gateway checks it): a 2025 session's requests go to the instance that created it, 2026-07-28 requests to
 * any. On a checked resource the ResourceGuard admits the request first, then identity reaches the upstream as
 * the entry's `forward` says, and list answers are filtered to the token. Client-sent X-MCP-* headers never pass.
 */
@Injectable()
export class McpRoutes {
  constructor(
    private readonly proxy: UpstreamProxyService,
    private readonly sessions: SessionAffinity,
    @Optional() private readonly guard?: ResourceGuard,
    @Optional() private readonly identities?: IdentityAssertions,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, route: GatewayRoute): Promise<void> {
    const resource = route.resource!;
    stripIdentityHeaders(req.headers);
    const pool = this.proxy.pool(resource.pool);
    const tracked = resource.enforced || pool.instances.length > 1;
    const sessionId = req.headers[SESSION_HEADER];
    const session: SessionRecord | null | undefined =
      tracked && typeof sessionId === 'string'
        ? (this.sessions.find(resource.pool, sessionId) ?? null)
        : undefined;

    let admission: Admission | undefined;
    if (resource.enforced) {
      admission = await this.guard!.admit(req, res, resource.entry, session);
      if (!admission) return;
      await this.forwardIdentity(req, resource, admission);
    }
    const options: ForwardOptions = {};
    if (session) {
      options.instance = session.instance;
      // The session lived in that instance's memory: gone with it, and the client must start a new one.
      options.instanceLost = () => {
        this.sessions.forget(resource.pool, sessionId as string);
        return sessionGone();
      };
    }
    if (tracked)
      options.onResponse = this.sessionTracker(
        req,
        resource,
        typeof sessionId === 'string' ? sessionId : undefined,
        admission,
      );
    if (admission?.answers) {
      options.rewrite = listRewrite(admission.answers);
      // A compressed answer could not be filtered.
      delete req.headers['accept-encoding'];
    }
    // A checked POST's body was read by the guard; any other is sent as the pool needs it.
    const body = admission?.body ?? (await this.proxy.bodyFor(req, res, route));
    if (body === null) return;
    options.body = body;
    this.proxy.forward(req, res, route, options);
  }

  /** RFC 6750 §2.1 bearer goes only where the upstream verifies it (`forward: token`). */
  private async forwardIdentity(
    req: IncomingMessage,
    resource: ResourceRoute,
    admission: Admission,
  ): Promise<void> {
    const forward = resource.entry.forward;
    if (forward === 'token') return;
    delete req.headers.authorization;
    if (forward === 'headers')
      Object.assign(req.headers, await this.identities!.headersFor(admission.token, resource.entry));
  }

  /** Remembers a session where it was created (and whose it is); forgets it once the client ends it. */
  private sessionTracker(
    req: IncomingMessage,
    resource: ResourceRoute,
    sessionId: string | undefined,
    admission: Admission | undefined,
  ): ForwardOptions['onResponse'] {
    return (proxyRes, instance) => {
      const created = proxyRes.headers[SESSION_HEADER];
      const status = proxyRes.statusCode ?? 0;
      if (typeof created === 'string' && created !== sessionId && status < 300) {
        this.sessions.remember(resource.pool, created, {
          instance,
          subject: admission?.token.subject,
          clientId: admission?.token.clientId,
        });
      }
      if (sessionId !== undefined && req.method === 'DELETE' && status < 300)
        this.sessions.forget(resource.pool, sessionId);
    };
  }
}
