import { HttpStatus, Injectable } from '@nestjs/common';
import { InsufficientScopeException, missingScopes, requiredScopesForBody } from '@app/scopes';
import { AuditLogService } from '../providers/logging/audit-log.service';
import { RegistryService } from '../registry/registry.service';
import type { McpRequest } from '../transport/mcp-request';
import { JsonRpcHttpException } from './auth.exceptions';

/**
 * The per-method scope check, for both revisions, from THE method map in @app/scopes. The method lives in the
 * JSON-RPC body, so this runs on the parsed body before the SDK handles any message; a batch needing a scope the
 * token lacks is refused as a whole with 403 and an `insufficient_scope` challenge (MCP authorization, "Scope
 * Challenge Handling").
 */
@Injectable()
export class McpScopeCheck {
  constructor(
    private readonly registry: RegistryService,
    private readonly audit: AuditLogService,
  ) {}

  /** On an authenticated POST with its parsed body; throws the refusal. */
  check(req: McpRequest): void {
    if (req.body === undefined) {
      // Unparsed means not application/json; the SDK must never read a body this guard did not see.
      throw new JsonRpcHttpException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        -32000,
        'Unsupported Media Type: Content-Type must be application/json',
      );
    }
    const auth = req.auth!;
    const required = requiredScopesForBody(req.body, this.registry.itemScopes);
    const missing = missingScopes(auth.scopes, required);
    if (missing.length === 0) return;
    this.audit.record({
      sub: auth.extra.sub,
      client_id: auth.clientId,
      resource: auth.resource?.href,
      method: describeMethods(req.body),
      tool: toolOf(req.body),
      outcome: 'denied',
      duration_ms: 0,
    });
    throw new InsufficientScopeException(auth.scopes, required, missing);
  }
}

/** The tool a single tools/call names (a batch is audited by its methods only). */
function toolOf(body: unknown): string | undefined {
  const message = (Array.isArray(body) ? undefined : body) as
    { method?: unknown; params?: { name?: unknown } } | null | undefined;
  const name = message?.method === 'tools/call' ? message.params?.name : undefined;
  return typeof name === 'string' ? name.slice(0, 128) : undefined;
}

function describeMethods(body: unknown): string {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages
    .map((message) => (message as { method?: unknown } | null)?.method)
    .filter((method): method is string => typeof method === 'string')
    .join(',');
}
