import { join } from 'node:path';
import type { AuditedAppEnv, CommonEnv } from '@app/config';

/** Spans go to one OTLP/HTTP endpoint; absent settings mean no SDK is loaded at all. */
export interface TracingSettings {
  serviceName: string;
  /** The full traces URL (…/v1/traces). */
  url: string;
  scheduleDelayMs: number;
}

export type AuditSinkSettings =
  | { kind: 'stdout' }
  /** Not an AUDIT_SINK value: what a command-line tool uses for `stdout`, whose stdout is its answer. */
  | { kind: 'stderr' }
  | { kind: 'off' }
  | { kind: 'file'; path: string; maxBytes: number; keep: number }
  | { kind: 'redis'; url: string; maxLen: number };

export interface AuditSettings {
  sink: AuditSinkSettings;
  /** Events kept in memory for readers such as `audit://recent`; 0 keeps none. */
  recentSize: number;
  /** Tool arguments in `mcp.tool.called` events (redacted); never anything else's. */
  includeArguments: boolean;
}

export interface ObservabilitySettings {
  /** The app's name: the default `service.name`, the `app` of audit events. */
  app: string;
  tracing?: TracingSettings;
  audit?: AuditSettings;
  /** Answer GET /metrics on the app's own (internal) listener; the gateway serves it on its admin listener. */
  metricsRoute: boolean;
}

type TracingEnv = Pick<
  CommonEnv,
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_BSP_SCHEDULE_DELAY'
>;

/**
 * OpenTelemetry's environment rules (SDK configuration spec): the signal-specific endpoint is used as is, the
 * generic one gets `/v1/traces` appended; no endpoint, or OTEL_SDK_DISABLED=true, means no tracing.
 */
export function tracingSettingsFrom(app: string, env: TracingEnv): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED === true) return undefined;
  const generic = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (generic === undefined ? undefined : `${generic.replace(/\/+$/, '')}/v1/traces`);
  if (url === undefined) return undefined;
  return { serviceName: env.OTEL_SERVICE_NAME ?? app, url, scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY };
}

type AuditEnv = Pick<
  AuditedAppEnv,
  'NODE_ENV' | 'AUDIT_SINK' | 'AUDIT_FILE' | 'AUDIT_FILE_MAX_BYTES' | 'AUDIT_FILE_KEEP' | 'AUDIT_REDIS_MAXLEN'
> & { STORE_URL?: string };

/** Where an app's audit events go. Throws (a config problem naming the variable) for a sink it cannot have. */
export function auditSettingsFrom(
  app: string,
  env: AuditEnv,
  options: { recentSize?: number; includeArguments?: boolean } = {},
): AuditSettings {
  const kind = env.AUDIT_SINK ?? (env.NODE_ENV === 'test' ? 'off' : 'stdout');
  const common = { recentSize: options.recentSize ?? 0, includeArguments: options.includeArguments ?? false };
  switch (kind) {
    case 'file':
      return {
        ...common,
        sink: {
          kind,
          path: env.AUDIT_FILE ?? join('data', 'audit', `${app}.log`),
          maxBytes: env.AUDIT_FILE_MAX_BYTES,
          keep: env.AUDIT_FILE_KEEP,
        },
      };
    case 'redis':
      if (env.STORE_URL === undefined)
        throw new Error('AUDIT_SINK: redis needs STORE_URL (the Redis to write to)');
      return { ...common, sink: { kind, url: env.STORE_URL, maxLen: env.AUDIT_REDIS_MAXLEN } };
    default:
      return { ...common, sink: { kind } };
  }
}
