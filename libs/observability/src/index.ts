export { ObservabilityModule } from './observability.module';
export { auditSettingsFrom, tracingSettingsFrom } from './observability.settings';
export type {
  AuditSettings,
  AuditSinkSettings,
  ObservabilitySettings,
  TracingSettings,
} from './observability.settings';
export { METRICS, TOKEN_EVENTS, TOOL_OUTCOMES, UPSTREAM_ERRORS } from './metrics/metric-catalogue';
export type { MetricDefinition, TokenEvent } from './metrics/metric-catalogue';
export { MetricsRegistry } from './metrics/metrics.registry';
export { createMetricsServer } from './metrics/metrics-server';
export { HttpServerObserver, observerOf } from './http/http-server.observer';
export { currentRequestId } from './http/request-scope';
export { isTracing } from './tracing/tracing';
export { injectTraceHeaders, withClientSpan, withMcpSpan } from './tracing/spans';
export type { McpCall, McpTraceMeta } from './tracing/spans';
export { AuditTrail } from './audit/audit-trail';
export { AUDIT_STREAM_KEY } from './audit/audit-sinks';
export { mcpEventType } from './audit/audit-event';
export type { AuditEvent, AuditEventType, AuditRecord, McpCallOutcome } from './audit/audit-event';
export { STDOUT_BATCH, stdoutLines } from './stdout/stdout-lines';
