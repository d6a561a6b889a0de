import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { classifyInboundRequest } from '@modelcontextprotocol/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkHeaderAgreement } from '@app/mcp-protocol';
import { setAccessLogFields, type FrontDoor } from '@app/runtime';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { BearerAuthenticator } from '../auth/bearer.authenticator';
import { renderMcpError } from '../auth/mcp-exception.filter';
import { McpScopeCheck } from '../auth/mcp-scope.check';
import { mcpConfig } from '../config/mcp.config';
import { callSummary } from './call-summary';
import { CallDrain } from './call-drain';
import { JsonBodyReader } from './json-body.reader';
import { LegacyHttpService, SESSION_HEADER } from './legacy-http.service';
import { MCP_PATH, type McpRequest } from './mcp-request';
import { ModernHttpService } from './modern-http.service';
import { OriginCheck } from './origin.check';

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** MCP 2026-07-28 `subscriptions/listen`: a POST whose answer is a stream that lasts as long as the client wants. */
const isSubscriptionStream = (body: unknown) =>
  (body as { method?: unknown } | null)?.method === 'subscriptions/listen';

/** The `id` of a single JSON-RPC request, echoed on its errors (JSON-RPC 2.0 §5). */
function requestIdOf(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A single request or notification (a method, no result or error: never a posted response) other than
 * `initialize` whose `params._meta` carries the 2026-07-28 revision claim. The SDK's classification never calls
 * such a message 2025 traffic (it is served, or refused, by the 2026 handler), so it need not be asked.
 */
export function claimsModernEnvelope(body: unknown): boolean {
  if (!isObject(body) || typeof body.method !== 'string' || body.method === 'initialize') return false;
  if ('result' in body || 'error' in body) return false;
  const meta = isObject(body.params) ? body.params._meta : undefined;
  return isObject(meta) && 'io.modelcontextprotocol/protocolVersion' in meta;
}

/**
 * THE MCP endpoint (Streamable HTTP), answered ahead of Express: Express routing and Nest's middleware and guard
 * machinery cost more CPU per tools/call than the JWT check. Only the exact path `/mcp` is served here; other
 * spellings (trailing slash, case) reach Nest and get its 404. Both revisions share it: a POST goes to the era
 * its body names (the SDK's own classification), GET and DELETE belong to 2025 sessions.
 */
@Injectable()
export class McpFrontDoor implements FrontDoor {
  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly origin: OriginCheck,
    private readonly bearer: BearerAuthenticator,
    private readonly body: JsonBodyReader,
    private readonly scopes: McpScopeCheck,
    private readonly modern: ModernHttpService,
    private readonly legacy: LegacyHttpService,
    private readonly drain: CallDrain,
  ) {}

  matches(_req: IncomingMessage, path: string): boolean {
    return path === MCP_PATH;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.serve(req as McpRequest, res);
    } catch (error) {
      renderMcpError(error, req, res, this.config.publicUrl);
    }
  }

  /**
   * The steps, in order: refuse foreign origins/hosts, then authenticate, and only then read the body, so an
   * unauthenticated client never makes the server parse up to MCP_MAX_BODY_BYTES; headers must agree with the
   * body before the scope check trusts the body. Streamable HTTP defines POST, GET and DELETE; HEAD is served
   * as GET, as Express would, and Node leaves its body out.
   */
  private async serve(req: McpRequest, res: ServerResponse): Promise<void> {
    // A shutdown waits for every POST from its arrival, except a 2026-07-28 subscription stream, which would
    // never end on its own (GET streams are not counted at all).
    const release = req.method === 'POST' ? this.drain.track(res) : undefined;
    this.origin.check(req);
    await this.bearer.authenticate(req);
    await this.body.read(req, res);
    if (isSubscriptionStream(req.body)) release?.();
    setAccessLogFields(res, callSummary(req));
    switch (req.method) {
      case 'POST':
        this.checkHeaders(req);
        this.scopes.check(req);
        return this.isLegacyPost(req) ? this.legacy.post(req, res) : this.modern.serve(req, res);
      case 'GET':
      case 'HEAD':
      case 'DELETE':
        // 2025 session streams and termination; 2026-07-28 has neither, and its handler answers 405.
        if (req.headers[SESSION_HEADER] !== undefined && !this.config.stateless) {
          return this.legacy.getOrDelete(req, res);
        }
        return this.modern.serve(req, res);
      default:
        res.setHeader('Allow', 'GET, POST, DELETE');
        throw new JsonRpcHttpException(HttpStatus.METHOD_NOT_ALLOWED, -32000, 'Method not allowed');
    }
  }

  /** SEP-2243: a gateway or server may route on headers only if they say what the body says. */
  private checkHeaders(req: McpRequest): void {
    const mismatch = checkHeaderAgreement('POST', req.headers, req.body);
    if (mismatch) {
      throw new JsonRpcHttpException(
        mismatch.httpStatus,
        mismatch.code,
        mismatch.message,
        requestIdOf(req.body),
        mismatch.data,
      );
    }
  }

  /**
   * The SDK's era decision (body first: a 2026 request names its revision in `_meta`), so this routing can never
   * disagree with the handler it routes to; everything not plainly 2025 traffic, refusals included, is the
   * 2026 handler's to answer.
   */
  private isLegacyPost(req: McpRequest): boolean {
    // The common case, decided without validating the message twice (the 2026 handler classifies it again).
    if (claimsModernEnvelope(req.body)) return false;
    const outcome = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: first(req.headers['mcp-protocol-version']),
      mcpMethodHeader: first(req.headers['mcp-method']),
      mcpNameHeader: first(req.headers['mcp-name']),
      body: req.body,
    });
    return outcome.kind === 'legacy';
  }
}
