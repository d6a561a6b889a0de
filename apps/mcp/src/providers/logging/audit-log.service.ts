import { Injectable } from '@nestjs/common';
import { AuditTrail, mcpEventType, type AuditRecord, type McpCallOutcome } from '@app/observability';

/** One audited call, as the transport knows it. Identities only; arguments only if the trail admits them. */
export interface McpCallEntry {
  sub: string;
  client_id: string;
  method: string;
  /** The tool called, or the prompt / resource URI addressed. */
  tool?: string;
  /** The protected resource the token was for. */
  resource?: string;
  outcome: McpCallOutcome;
  duration_ms: number;
  /** A tool call's arguments; kept (redacted) only with AUDIT_INCLUDE_ARGUMENTS=true. */
  arguments?: unknown;
}

/**
 * The MCP server's side of the audit trail: calls go to the app's AuditTrail (its configured sink), and
 * `audit://recent` reads the same events back from the trail's in-memory ring (MCP_AUDIT_SIZE).
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly trail: AuditTrail) {}

  record(entry: McpCallEntry): void {
    this.trail.record({ type: mcpEventType(entry.method), ...entry });
  }

  /** Newest first; only the given subject's calls, so one user cannot watch another. */
  recentFor(sub: string, limit = 100): AuditRecord[] {
    return this.trail.recent(
      (record) => record.type.startsWith('mcp.') && 'sub' in record && record.sub === sub,
      limit,
    );
  }
}
