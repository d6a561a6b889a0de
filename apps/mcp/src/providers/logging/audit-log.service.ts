import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mcpConfig } from '../../config/mcp.config';

export type AuditOutcome = 'ok' | 'error' | 'denied';

/** One audited call. Deliberately holds identities only, never token contents or arguments. */
export interface AuditEntry {
  time: string;
  sub: string;
  client_id: string;
  method: string;
  /** The tool called, or the prompt / resource URI addressed. */
  tool?: string;
  outcome: AuditOutcome;
  duration_ms: number;
}

/** A bounded in-memory ring of recent calls, served by `audit://recent`. */
@Injectable()
export class AuditLogService {
  private readonly entries: AuditEntry[] = [];
  private next = 0;

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}

  record(entry: Omit<AuditEntry, 'time'> & { time?: string }): void {
    const complete: AuditEntry = { ...entry, time: entry.time ?? new Date().toISOString() };
    const size = this.config.env.MCP_AUDIT_SIZE;
    if (this.entries.length < size) this.entries.push(complete);
    else this.entries[this.next] = complete;
    this.next = (this.next + 1) % size;
  }

  /** Newest first; only the given subject's calls, so one user cannot watch another. */
  recentFor(sub: string, limit = 100): AuditEntry[] {
    const ordered = [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)].reverse();
    return ordered.filter((entry) => entry.sub === sub).slice(0, limit);
  }
}
