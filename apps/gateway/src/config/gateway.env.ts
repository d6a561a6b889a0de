import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { CommonEnv } from '@app/config';

const UPSTREAM_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** Every variable the gateway reads, with its default. Property names are the variable names. */
export class GatewayEnv extends CommonEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_PORT: number = 3002;

  /** An address, `loopback` (127.0.0.1 and [::1]), or unset: loopback in development, every address in production. */
  @IsOptional()
  @IsString()
  GATEWAY_HOST?: string;

  @IsUrl(UPSTREAM_URL)
  AUTHZ_UPSTREAM_URL: string = 'http://127.0.0.1:3003';

  @IsUrl(UPSTREAM_URL)
  MCP_UPSTREAM_URL: string = 'http://127.0.0.1:3004';

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
