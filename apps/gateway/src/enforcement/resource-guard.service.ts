import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { resolveRequestBaseUrl } from '@app/config';
import { checkHeaderAgreement } from '@app/mcp-protocol';
import {
  isToolHidden,
  itemScopeLookup,
  listsNeedFiltering,
  resourceMetadataPath,
  type ProtectedResource,
} from '@app/protected-resources';
import {
  readBearerToken,
  ResourceServerAuthenticator,
  type ExpectedToken,
  type VerifiedAccessToken,
} from '@app/resource-server';
import { missingScopes, requiredScopesForBody, type ItemScopeLookup } from '@app/scopes';
import { gatewayConfig } from '../config/gateway.config';
import { readBody } from '../proxy/body-limit';
import { payloadTooLarge, sendGatewayError } from '../proxy/gateway-errors';
import type { SessionRecord } from '../proxy/session-affinity';
import { ListAnswers } from './list-filter';
import { sendInsufficientScope, sendRpcError, sendUnauthorized, sendUnavailable } from './mcp-refusals';

/** What a checked request may forward: the verified token, and for a POST its body and the list answers to filter. */
export interface Admission {
  token: VerifiedAccessToken;
  body?: Buffer;
  answers?: ListAnswers;
}

/** Bases are PUBLIC_URL and its aliases (with whatever port a client used): a few, but not trusted. */
const MAX_REMEMBERED_AUDIENCES = 256;
const JSON_TYPE = /^application\/json/i;

const messagesOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : [body]);
const idOf = (body: unknown): unknown =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { id?: unknown }).id : null;

/** The first `tools/call` in the body that names a tool hidden on this resource. */
function hiddenToolCall(body: unknown, resource: ProtectedResource): string | undefined {
  for (const message of messagesOf(body)) {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    const name = params?.name;
    if (method === 'tools/call' && typeof name === 'string' && isToolHidden(resource, name)) return name;
  }
  return undefined;
}

/**
 * THE check of a request to a protected MCP resource at the gateway, in order: the bearer token (@app/resource-
 * server: jose against authz's JWKS, `iss` of the alias used, `aud` = this resource, grant not revoked), the
 * session's owner, then for a POST its body, read under the body limit: the 2026-07-28 header/body agreement
 * (@app/mcp-protocol), hidden tools, and the scopes of every message (@app/scopes, with the resource's per-item
 * scopes), refused as a whole before any part runs. Each refusal is answered here, shaped as MCP clients expect.
 */
@Injectable()
export class ResourceGuard {
  private readonly audiences = new Map<string, ExpectedToken>();
  private readonly lookups = new Map<string, ItemScopeLookup>();

  constructor(
    @Inject(gatewayConfig.KEY) private readonly config: ConfigType<typeof gatewayConfig>,
    private readonly authenticator: ResourceServerAuthenticator,
  ) {
    for (const resource of config.resources) this.lookups.set(resource.path, itemScopeLookup(resource));
  }

  /**
   * Undefined when the request was refused (and answered). `session`: the record of the request's Mcp-Session-Id,
   * `null` for an id the gateway does not know, undefined without one.
   */
  async admit(
    req: IncomingMessage,
    res: ServerResponse,
    resource: ProtectedResource,
    session: SessionRecord | null | undefined,
  ): Promise<Admission | undefined> {
    const base = resolveRequestBaseUrl(this.config.publicUrl, req.headers);
    const metadata = `${base}${resourceMetadataPath(resource.path)}`;
    const bearer = readBearerToken(req);
    if (typeof bearer !== 'string') {
      if (bearer.kind === 'unauthorized') sendUnauthorized(res, metadata, bearer.error, bearer.description);
      return undefined;
    }
    const token = await this.authenticator.authenticate(bearer, this.expected(base, resource.path));
    if (token.kind === 'unavailable')
      return void sendUnavailable(res, token.description, token.retryAfterSeconds);
    if (token.kind === 'unauthorized')
      return void sendUnauthorized(res, metadata, token.error, token.description);
    // A 2025 session belongs to the identity that created it; for another (or one the gateway never saw) it does
    // not exist (Streamable HTTP "Session Management": 404, and the client starts a new session).
    if (
      session === null ||
      (session && (session.subject !== token.subject || session.clientId !== token.clientId))
    ) {
      return void sendRpcError(res, 404, -32001, 'Session not found');
    }
    if (req.method !== 'POST') return { token };
    return this.inspectBody(req, res, resource, token, metadata);
  }

  private async inspectBody(
    req: IncomingMessage,
    res: ServerResponse,
    resource: ProtectedResource,
    token: VerifiedAccessToken,
    metadata: string,
  ): Promise<Admission | undefined> {
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
      return void sendRpcError(
        res,
        415,
        -32000,
        'Unsupported Media Type: Content-Type must be application/json',
      );
    }
    const raw = await readBody(req, this.config.maxBodyBytes);
    if (raw === 'aborted') return undefined;
    if (raw === 'too-large') {
      return void sendGatewayError(res, 'jsonrpc', payloadTooLarge(this.config.maxBodyBytes), true);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return void sendRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON');
    }
    const mismatch = checkHeaderAgreement('POST', req.headers, body);
    if (mismatch)
      return void sendRpcError(res, 400, mismatch.code, mismatch.message, idOf(body), mismatch.data);
    const hidden = hiddenToolCall(body, resource);
    if (hidden !== undefined) {
      // MCP tools: an unknown tool is -32602. A batch is refused whole, as the scope check refuses it.
      const batch = Array.isArray(body);
      return void sendRpcError(
        res,
        batch ? 400 : 200,
        -32602,
        `Unknown tool: ${hidden}`,
        batch ? null : idOf(body),
      );
    }
    const required = requiredScopesForBody(body, this.lookups.get(resource.path)!);
    const missing = missingScopes(token.scopes, required);
    if (missing.length > 0) {
      return void sendInsufficientScope(res, metadata, { granted: token.scopes, required, missing });
    }
    const answers = listsNeedFiltering(resource)
      ? ListAnswers.of(messagesOf(body), resource, token.scopes)
      : undefined;
    return { token, body: raw, answers };
  }

  /** The issuer and audience a token must carry on this alias for this resource, built once per pair. */
  private expected(base: string, path: string): ExpectedToken {
    const audience = `${base}${path}`;
    const known = this.audiences.get(audience);
    if (known) return known;
    const expected = { issuer: base, audience };
    if (this.audiences.size < MAX_REMEMBERED_AUDIENCES) this.audiences.set(audience, expected);
    return expected;
  }
}
