import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { AUDIT_SETTINGS, AuditTrail, OBSERVED_APP } from './audit/audit-trail';
import { HttpServerObserver } from './http/http-server.observer';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics.registry';
import type { ObservabilitySettings } from './observability.settings';
import { TRACING_SETTINGS, TracingLifecycle } from './tracing/tracing.lifecycle';

/**
 * Metrics, traces and the audit trail of one app, imported once by its root module. Global: any service injects
 * MetricsRegistry or AuditTrail; libs/runtime's request listener finds HttpServerObserver in the app.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(settings: ObservabilitySettings): DynamicModule {
    const providers: Provider[] = [
      { provide: OBSERVED_APP, useValue: settings.app },
      { provide: TRACING_SETTINGS, useValue: settings.tracing },
      MetricsRegistry,
      HttpServerObserver,
      TracingLifecycle,
    ];
    const exports: DynamicModule['exports'] = [MetricsRegistry, HttpServerObserver];
    if (settings.audit) {
      providers.push({ provide: AUDIT_SETTINGS, useValue: settings.audit }, AuditTrail);
      exports.push(AuditTrail);
    }
    return {
      module: ObservabilityModule,
      global: true,
      providers,
      exports,
      controllers: settings.metricsRoute ? [MetricsController] : [],
    };
  }
}
