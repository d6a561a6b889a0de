/**
 * THE list of metrics the apps export, so a name is spelled once (the Grafana dashboard in docs/ is checked
 * against what the apps really export). HTTP names follow the OpenTelemetry semantic conventions
 * (http.server.request.duration, http.client.request.duration) in their Prometheus form: dots become
 * underscores and the unit a suffix. Process metrics (CPU, memory, event-loop lag) come from prom-client's
 * default collectors.
 */

export interface CounterDefinition<L extends string = string> {
  kind: 'counter';
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Label combinations exported as 0 from the start, so a dashboard never sees a series appear from nowhere. */
  initial?: readonly Readonly<Record<L, string>>[];
}

export interface HistogramDefinition<L extends string = string> {
  kind: 'histogram';
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets: readonly number[];
}

export interface GaugeDefinition {
  kind: 'gauge';
  name: string;
  help: string;
}

export type MetricDefinition = CounterDefinition | HistogramDefinition | GaugeDefinition;

/** The OpenTelemetry semantic conventions' advice for HTTP durations, in seconds. */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export const TOKEN_EVENTS = ['issued', 'refreshed', 'revoked', 'reuse_detected'] as const;
export type TokenEvent = (typeof TOKEN_EVENTS)[number];

export const TOOL_OUTCOMES = ['ok', 'error', 'denied'] as const;

export const UPSTREAM_ERRORS = ['unavailable', 'timeout', 'aborted'] as const;

export const METRICS = {
  httpServerDuration: {
    kind: 'histogram',
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by route and status (OpenTelemetry http.server.request.duration).',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: HTTP_DURATION_BUCKETS,
  },
  upstreamDuration: {
    kind: 'histogram',
    name: 'http_client_request_duration_seconds',
    help: 'Gateway to upstream: time to the response headers, per upstream instance (http.client.request.duration).',
    labelNames: ['upstream', 'server_address', 'server_port', 'http_response_status_code'],
    buckets: HTTP_DURATION_BUCKETS,
  },
  upstreamErrors: {
    kind: 'counter',
    name: 'gateway_upstream_errors_total',
    help: 'Upstream exchanges that failed before a response: unavailable (connection), timeout, aborted (mid-response).',
    labelNames: ['upstream', 'server_address', 'server_port', 'error_type'],
  },
  tokenEvents: {
    kind: 'counter',
    name: 'authz_token_events_total',
    help: 'Tokens issued (authorization code), refreshed, revoked (grants) and reuse detected (refresh token or code).',
    labelNames: ['event'],
    initial: TOKEN_EVENTS.map((event) => ({ event })),
  },
  rateLimitRefusals: {
    kind: 'counter',
    name: 'authz_rate_limit_refusals_total',
    help: 'Requests refused with 429 by the rate limit.',
    labelNames: ['throttler'],
    initial: [{ throttler: 'default' }],
  },
  mcpSessions: {
    kind: 'gauge',
    name: 'mcp_sessions_active',
    help: 'Open MCP sessions (Streamable HTTP sessions of 2025-era clients) in this process.',
  },
  toolCalls: {
    kind: 'counter',
    name: 'mcp_tool_calls_total',
    help: 'MCP tool calls by tool and outcome (ok, error: the tool failed, denied: refused for a missing scope).',
    labelNames: ['tool', 'outcome'],
  },
  jwksFetches: {
    kind: 'counter',
    name: 'resource_server_jwks_fetches_total',
    help: "A resource server's fetches of authz's JWKS (first use, unknown kid, expiry), by outcome.",
    labelNames: ['outcome'],
    initial: [{ outcome: 'ok' }, { outcome: 'error' }],
  },
  auditEvents: {
    kind: 'counter',
    name: 'audit_events_total',
    help: 'Audit events recorded, by type.',
    labelNames: ['type'],
  },
  auditWriteFailures: {
    kind: 'counter',
    name: 'audit_write_failures_total',
    help: 'Audit events the sink failed to write (each failure is also logged, at most once a minute).',
    labelNames: ['sink'],
  },
} as const satisfies Record<string, MetricDefinition>;
