import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { PublicUrlEnv } from '@app/config';

/**
 * Every variable the gateway reads, with its default. Property names are the variable names. PUBLIC_URL and its
 * aliases give the issuer and resource URLs the gateway checks tokens against, as authz and mcp build them.
 */
export class GatewayEnv extends PublicUrlEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_PORT: number = 3002;

  /** An address, `loopback` (127.0.0.1 and [::1]), or unset: loopback in development, every address in production. */
  @IsOptional()
  @IsString()
  GATEWAY_HOST?: string;

  /** The authorization server: one URL, or several separated by commas (a pool, round-robin). */
  @IsString()
  AUTHZ_UPSTREAM_URL: string = 'http://127.0.0.1:3003';

  /** The bundled MCP server (/mcp): one URL, or several separated by commas. */
  @IsString()
  MCP_UPSTREAM_URL: string = 'http://127.0.0.1:3004';

  /** The protected MCP resources (YAML or JSON); unset: /mcp -> MCP_UPSTREAM_URL, checked by apps/mcp itself. */
  @IsOptional()
  @IsString()
  GATEWAY_RESOURCES_FILE?: string;

  /** An instance that refused a connection is skipped for this long, then tried again. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  GATEWAY_UPSTREAM_COOLDOWN_MS: number = 5_000;

  /** Cluster mode: authz's Redis; revocations then come by its pub/sub channel instead of authz's stream. */
  @IsOptional()
  @IsString()
  STORE_URL?: string;

  /** Clock skew allowed on exp/nbf/iat of the access tokens the gateway verifies. */
  @IsInt()
  @Min(0)
  @Max(300)
  GATEWAY_CLOCK_TOLERANCE_SECONDS: number = 30;

  /** An unknown `kid` refetches authz's JWKS at most this often. */
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  GATEWAY_JWKS_COOLDOWN_MS: number = 30_000;

  /** A fetched JWKS is refetched on use after this long. */
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  GATEWAY_JWKS_CACHE_MAX_AGE_MS: number = 600_000;

  /** JWKS and grant-status calls to authz, and connecting its revocation stream (503 after). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  GATEWAY_AUTHZ_TIMEOUT_MS: number = 3_000;

  /** Verified access tokens remembered until their expiry. */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  GATEWAY_TOKEN_CACHE_SIZE: number = 10_000;

  /** Grant states remembered (kept current by pushed revocations). */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  GATEWAY_GRANT_CACHE_SIZE: number = 100_000;

  /** While the revocation channel is down, an active grant is asked again once its answer is this old. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  GATEWAY_REVOCATION_FALLBACK_MS: number = 1_000;

  /**
   * The key signing X-MCP-Identity (PKCS#8 EC P-256 PEM, `\n` escapes allowed). Unset: a key made at boot, fine
   * for one gateway; several gateways behind one name must share one.
   */
  @IsOptional()
  @IsString()
  GATEWAY_IDENTITY_KEY_PEM?: string;

  /** Lifetime of an X-MCP-Identity assertion. */
  @IsInt()
  @Min(10)
  @Max(3_600)
  GATEWAY_IDENTITY_TTL_SECONDS: number = 60;

  /** 2025 sessions (Mcp-Session-Id) the gateway remembers: their instance and, when it checks tokens, their owner. */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  GATEWAY_MAX_SESSIONS: number = 10_000;

  /** A session unused this long is forgotten (its next request gets 404 and the client starts a new one). */
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  GATEWAY_SESSION_IDLE_MS: number = 1_800_000;

  /** Browser origins allowed to call /mcp and read the protected-resource metadata (MCP Inspector by default). */
  @IsString()
  GATEWAY_CORS_ORIGINS: string = 'http://localhost:6274,http://127.0.0.1:6274';

  /**
   * Outer proxies whose X-Forwarded-* headers are believed: loopback, linklocal, uniquelocal, IP addresses or
   * CIDR ranges (Express's `trust proxy` forms); empty trusts nobody.
   */
  @IsString()
  GATEWAY_TRUSTED_PROXIES: string = '';

  /** How long an upstream may take to send its response headers; a stream that has started is never cut. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  GATEWAY_UPSTREAM_TIMEOUT_MS: number = 30_000;

  /** Largest request body forwarded; larger ones get 413. */
  @IsInt()
  @Min(0)
  GATEWAY_MAX_BODY_BYTES: number = 1_048_576;

  /**
   * Idle keep-alive sockets to an upstream are closed after this long. It must stay below the upstreams'
   * keepAliveTimeout (Node's default is 5000 ms), or the gateway may reuse a socket the upstream is closing.
   */
  @IsInt()
  @Min(100)
  @Max(600_000)
  GATEWAY_UPSTREAM_IDLE_MS: number = 4_000;

  /** How long /readyz waits for each upstream's /healthz. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  GATEWAY_READINESS_TIMEOUT_MS: number = 2_000;

  /** The admin listener: GET /metrics (Prometheus), never on the public port. 0 picks a free port. */
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_ADMIN_PORT: number = 3005;

  /** The admin listener's address: this machine only, unless a scraper elsewhere needs it. */
  @IsString()
  GATEWAY_ADMIN_HOST: string = '127.0.0.1';
}
