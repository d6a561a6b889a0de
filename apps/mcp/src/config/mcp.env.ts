import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { AuditedAppEnv, EnvBoolean } from '@app/config';

/** Every variable the mcp app reads, with its default. Property names are the variable names. */
export class McpEnv extends AuditedAppEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  MCP_PORT: number = 3004;

  /** Internal service: loopback by default, only the gateway talks to it. */
  @IsString()
  MCP_HOST: string = '127.0.0.1';

  /**
   * Where mcp reaches authz privately: the JWKS, grant status and the revocation stream; several instances
   * comma separated (the first that answers; checked in mcp.config).
   */
  @IsString()
  AUTHZ_INTERNAL_URL: string = 'http://127.0.0.1:3003';

  /** Cluster mode: authz's Redis store; revocations then arrive by its pub/sub instead of authz's stream. */
  @IsOptional()
  @IsString()
  STORE_URL?: string;

  /** No sessions: every POST is self-contained, so replicas need no shared state (horizontal scaling). */
  @EnvBoolean()
  @IsBoolean()
  MCP_STATELESS: boolean = false;

  /** Browser origins allowed to call /mcp (DNS-rebinding protection); requests without Origin are allowed. */
  @IsString()
  MCP_ALLOWED_ORIGINS: string = 'http://localhost:6274,http://127.0.0.1:6274';

  /** Extra Host names accepted on /mcp besides PUBLIC_URL's host and PUBLIC_HOST_ALIASES. */
  @IsString()
  MCP_ALLOWED_HOSTS: string = '';

  /** Root of the read-only filesystem provider; relative paths resolve against the working directory. */
  @IsOptional()
  @IsString()
  MCP_FS_ROOT?: string;

  @IsInt()
  @Min(1)
  @Max(16 * 1024 * 1024)
  MCP_FS_MAX_FILE_BYTES: number = 256 * 1024;

  /** Largest JSON-RPC request body accepted on POST /mcp. */
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  MCP_MAX_BODY_BYTES: number = 1024 * 1024;

  /** Allowed clock skew for exp/nbf/iat (RFC 9068 §4 leaves the margin to the resource server). */
  @IsInt()
  @Min(0)
  @Max(300)
  MCP_CLOCK_TOLERANCE_SECONDS: number = 30;

  /** Minimum time between JWKS refetches triggered by an unknown `kid`. */
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  MCP_JWKS_COOLDOWN_MS: number = 30_000;

  /** How long a fetched JWKS is trusted before it is refetched on use. */
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  MCP_JWKS_CACHE_MAX_AGE_MS: number = 600_000;

  /** Timeout of a JWKS or grant-status call (and of connecting the revocation stream); then 503. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  MCP_AUTHZ_TIMEOUT_MS: number = 3000;

  /** Verified access tokens remembered until their expiry, so a repeated token costs no RSA verification. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MCP_TOKEN_CACHE_SIZE: number = 10_000;

  /** Grant states remembered (asked of authz once per grant, then kept current by pushed revocations). */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  MCP_GRANT_CACHE_SIZE: number = 100_000;

  /** While the revocation channel is down, an active grant is asked of authz again after this long. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  MCP_REVOCATION_FALLBACK_MS: number = 1000;

  /** A session unused this long is closed. */
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  MCP_SESSION_IDLE_MS: number = 30 * 60_000;

  /**
   * At most this many live sessions. When full, the largest holder's least recently used session makes room
   * (never a subject's last one; then the new session gets 429).
   */
  @IsInt()
  @Min(1)
  @Max(100_000)
  MCP_MAX_SESSIONS: number = 1000;

  /** At most this many live sessions per subject (whatever the client), so one user cannot crowd out others. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  MCP_MAX_SESSIONS_PER_SUBJECT: number = 20;

  /** Idle MCP server objects kept for reuse by 2026-07-28 requests (and 2025 ones in stateless mode). */
  @IsInt()
  @Min(0)
  @Max(1024)
  MCP_SERVER_POOL_SIZE: number = 32;

  /** SSE events a 2025 session keeps for replay after a dropped stream (Last-Event-ID); oldest go first. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  MCP_EVENT_STORE_MAX_EVENTS: number = 200;

  /** The `retry` hint sent on resumable 2025 SSE streams: how long a client waits before reconnecting. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  MCP_SSE_RETRY_MS: number = 1000;

  /** Open 2026-07-28 `subscriptions/listen` streams at most; further ones are refused. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  MCP_MAX_SUBSCRIPTIONS: number = 1024;

  /**
   * HMAC key (at least 32 bytes) protecting the `requestState` of multi-round-trip requests. Unset: a random key
   * per process, so every replica behind one public URL must share a configured key.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  MCP_REQUEST_STATE_KEY?: string;

  /** How long a minted `requestState` may be echoed back. */
  @IsInt()
  @Min(10)
  @Max(3600)
  MCP_REQUEST_STATE_TTL_SECONDS: number = 300;

  /**
   * Serve the tools, resources and prompts the official conformance suite calls by name. Test-only: refused
   * when NODE_ENV=production.
   */
  @EnvBoolean()
  @IsBoolean()
  MCP_CONFORMANCE_FIXTURES: boolean = false;

  /** Longest a `calculate` expression may run (in its sandbox child process) before it is refused. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  MCP_MATH_TIMEOUT_MS: number = 1000;

  /** Heap limit of the child process that evaluates `calculate` expressions. */
  @IsInt()
  @Min(16)
  @Max(4096)
  MCP_MATH_MEMORY_MB: number = 64;

  /** Worker processes evaluating `calculate` expressions side by side (started on demand). */
  @IsInt()
  @Min(1)
  @Max(64)
  MCP_MATH_WORKERS: number = 2;

  /** Tool calls one subject may make per MCP_TOOL_RATE_WINDOW_MS (counted in Redis when STORE_URL is set). */
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  MCP_TOOL_RATE_LIMIT: number = 600;

  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  MCP_TOOL_RATE_WINDOW_MS: number = 60_000;

  /** Tool calls one subject may have running at once on this instance; more are refused until one ends. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  MCP_TOOL_MAX_CONCURRENT: number = 8;

  /** Entries kept by the audit log behind `audit://recent`. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  MCP_AUDIT_SIZE: number = 500;

  /** Tool-call audit events carry the call's arguments, redacted (README "Audit trail"); off by default. */
  @EnvBoolean()
  @IsBoolean()
  AUDIT_INCLUDE_ARGUMENTS: boolean = false;

  /** Longer than the gateway agent's idle timeout, so a reused upstream socket is never closed under it. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  MCP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;
}
