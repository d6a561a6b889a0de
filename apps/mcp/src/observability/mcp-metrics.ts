import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { AuditTrail, METRICS, MetricsRegistry, TOOL_OUTCOMES } from '@app/observability';
import { RegistryService } from '../registry/registry.service';
import { SessionStore } from '../transport/session.store';

/**
 * The MCP server's metrics: open sessions (read at scrape time) and tool calls by tool and outcome, derived from
 * the audit trail so the count and the audit line of a call are one event. Only tools this server offers are
 * labels; a refused call naming anything else counts under tool="" (a client cannot mint label values).
 */
@Injectable()
export class McpMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly calls: Counter<'tool' | 'outcome'>;
  private readonly unsubscribe: () => void;

  constructor(
    trail: AuditTrail,
    metrics: MetricsRegistry,
    private readonly registry: RegistryService,
    sessions: SessionStore,
  ) {
    metrics.gauge(METRICS.mcpSessions, () => sessions.size);
    this.calls = metrics.counter(METRICS.toolCalls);
    this.unsubscribe = trail.subscribe((record) => {
      if (record.type !== 'mcp.tool.called') return;
      const tool = record.tool !== undefined && registry.tools.has(record.tool) ? record.tool : '';
      this.calls.inc({ tool, outcome: record.outcome });
    });
  }

  /** Every tool and outcome from zero, once the registry has found the tools. */
  onApplicationBootstrap(): void {
    for (const tool of this.registry.tools.keys()) {
      for (const outcome of TOOL_OUTCOMES) this.calls.inc({ tool, outcome }, 0);
    }
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
