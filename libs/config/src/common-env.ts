// Before any decorated class: implicit conversion reads the `design:type` metadata TypeScript emits only when
// Reflect.metadata exists at class definition time, and nothing guarantees a Nest import came first.
import 'reflect-metadata';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { EnvBoolean } from './env-boolean';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

const OTLP_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** Variables every app reads; each app's env class extends this one. */
export class CommonEnv {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Force readable or JSON logs; by default JSON exactly when NODE_ENV=production. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** How long open streams (SSE) may keep a shutting-down process alive before they are cut. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS: number = 10_000;

  /*
   * OpenTelemetry's own variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/):
   * tracing runs only when an OTLP endpoint is set. The exporter also reads OTEL_EXPORTER_OTLP_HEADERS,
   * OTEL_EXPORTER_OTLP_TIMEOUT and the certificate variables itself.
   */

  /** `service.name` of the spans; the app's name (gateway, authz, mcp) when unset. */
  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string;

  /** OTLP/HTTP base URL of a collector, e.g. http://localhost:4318 (spans go to <url>/v1/traces). */
  @IsOptional()
  @IsUrl(OTLP_URL)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The full traces URL, used as is; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  @IsOptional()
  @IsUrl(OTLP_URL)
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** `true` turns tracing off whatever the endpoints say. */
  @IsOptional()
  @EnvBoolean()
  @IsBoolean()
  OTEL_SDK_DISABLED?: boolean;

  /** Milliseconds between two exports of finished spans. */
  @IsInt()
  @Min(1)
  @Max(600_000)
  OTEL_BSP_SCHEDULE_DELAY: number = 5_000;
}

/** The public URL rules shared by authz and mcp: both must describe the gateway, never themselves. */
export class PublicUrlEnv extends CommonEnv {
  /** The gateway's public origin; issuer, metadata and token audiences are built on it. */
  @IsString()
  PUBLIC_URL: string = 'http://localhost:3002';

  /** Host names that clients may reach the gateway by; requests on them get URLs built on that host. */
  @IsString()
  PUBLIC_HOST_ALIASES: string = 'localhost,127.0.0.1,[::1]';
}

export const AUDIT_SINKS = ['stdout', 'file', 'redis', 'off'] as const;
export type AuditSinkKind = (typeof AUDIT_SINKS)[number];

/** The apps that keep an audit trail (authz and mcp): where its events go. */
export class AuditedAppEnv extends PublicUrlEnv {
  /**
   * `stdout` (one JSON line per event, apart from the logs' format), `file` (AUDIT_FILE, rotated), `redis` (a
   * stream on STORE_URL's Redis) or `off`. Default: stdout, and off under NODE_ENV=test.
   */
  @IsOptional()
  @IsIn(AUDIT_SINKS)
  AUDIT_SINK?: AuditSinkKind;

  /** The file of AUDIT_SINK=file; default ./data/audit/<app>.log. */
  @IsOptional()
  @IsString()
  AUDIT_FILE?: string;

  /** AUDIT_SINK=file: the file is rotated (renamed to .1, .2, ...) once it would pass this size. */
  @IsInt()
  @Min(4096)
  AUDIT_FILE_MAX_BYTES: number = 10 * 1024 * 1024;

  /** AUDIT_SINK=file: rotated files kept; older ones are deleted. */
  @IsInt()
  @Min(1)
  @Max(100)
  AUDIT_FILE_KEEP: number = 5;

  /** AUDIT_SINK=redis: the stream is trimmed to about this many events (XADD MAXLEN ~). */
  @IsInt()
  @Min(1000)
  AUDIT_REDIS_MAXLEN: number = 100_000;
}
