import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  AuditTrail,
  METRICS,
  MetricsRegistry,
  type AuditEventType,
  type TokenEvent,
} from '@app/observability';

/** Which audit events count as which token event. */
const COUNTED: Partial<Record<AuditEventType, TokenEvent>> = {
  'token.issued': 'issued',
  'token.refreshed': 'refreshed',
  'token.revoked': 'revoked',
  'token.reuse_detected': 'reuse_detected',
};

/**
 * authz_token_events_total, derived from the audit trail: a token event is counted exactly when it is audited,
 * so the two can never disagree and the token code has one hook (AuditTrail.record), not two.
 */
@Injectable()
export class TokenMetrics implements OnModuleDestroy {
  private readonly unsubscribe: () => void;

  constructor(trail: AuditTrail, metrics: MetricsRegistry) {
    const counter = metrics.counter(METRICS.tokenEvents);
    this.unsubscribe = trail.subscribe((record) => {
      const event = COUNTED[record.type];
      if (event) counter.inc({ event });
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
