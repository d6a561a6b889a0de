import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { AuditedAppEnv, EnvBoolean } from '@app/config';

/** Every variable the authz app reads, with its default. Property names are the variable names. */
export class AuthzEnv extends AuditedAppEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  AUTHZ_PORT: number = 3003;

  /** Internal service: loopback by default, only the gateway talks to it. */
  @IsString()
  AUTHZ_HOST: string = '127.0.0.1';

  /** Signing keys (created on first start, files mode 0600) and the SQLite store live here. */
  @IsString()
  AUTHZ_DATA_DIR: string = './data/authz';

  /**
   * The gateway's protected resources (YAML or JSON, README "Protect your own MCP server"): each `path` is an
   * accepted RFC 8707 resource and its `scopes` are grantable. Unset: only /mcp. Give authz the gateway's file.
   */
  @IsOptional()
  @IsString()
  GATEWAY_RESOURCES_FILE?: string;

  /** A PKCS#8 RSA private key (PEM, `\n` escapes allowed) used instead of the key file in AUTHZ_DATA_DIR. */
  @IsOptional()
  @IsString()
  AUTHZ_SIGNING_KEY_PEM?: string;

  /**
   * Cluster mode (STORE_URL): the AES-256-GCM key (32 bytes, base64) sealing the signing keys kept in Redis, the
   * same on every instance; required there unless AUTHZ_SIGNING_KEY_PEM is set.
   */
  @IsOptional()
  @IsString()
  AUTHZ_KEYS_ENCRYPTION_KEY?: string;

  @IsInt()
  @Min(60)
  @Max(86_400)
  AUTHZ_ACCESS_TOKEN_TTL_SECONDS: number = 3600;

  @IsInt()
  @Min(60)
  @Max(31_536_000)
  AUTHZ_REFRESH_TOKEN_TTL_SECONDS: number = 2_592_000;

  /** Authorization codes: short-lived on purpose (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  @IsInt()
  @Min(1)
  @Max(600)
  AUTHZ_CODE_TTL_SECONDS: number = 300;

  /** How long a login/consent page stays valid. */
  @IsInt()
  @Min(10)
  @Max(3600)
  AUTHZ_INTERACTION_TTL_SECONDS: number = 600;

  /** POST /auth/token; defaults to on outside production, refused in production. */
  @IsOptional()
  @EnvBoolean()
  @IsBoolean()
  AUTHZ_DEV_TOKENS?: boolean;

  /** Signs AUTHZ_DEFAULT_USER in without a password; defaults to on outside production, refused in production. */
  @IsOptional()
  @EnvBoolean()
  @IsBoolean()
  AUTHZ_AUTO_LOGIN?: boolean;

  /** Subject of auto-login and of development tokens. */
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  AUTHZ_DEFAULT_USER: string = 'developer';

  /** Local users, `name:scrypt:N:r:p:salt:hash` separated by commas (`npm run users:hash-password`). */
  @IsString()
  AUTHZ_USERS: string = '';

  /** JSON array of extra pre-registered clients (RFC 7591 field names, plus client_id / client_secret). */
  @IsString()
  AUTHZ_CLIENTS: string = '';

  /** JSON array of upstream identity providers (README "Sign in with your identity provider"). */
  @IsString()
  AUTHZ_OIDC_PROVIDERS: string = '';

  /** A file holding the AUTHZ_OIDC_PROVIDERS JSON instead (keeps client secrets out of the environment). */
  @IsOptional()
  @IsString()
  AUTHZ_OIDC_PROVIDERS_FILE?: string;

  /** JSON `{"emails": [], "domains": [], "groups": []}`: who may sign in through a provider. */
  @IsString()
  AUTHZ_ACCESS_RULES: string = '';

  /** Keep each provider's refresh token (encrypted) and refresh it whenever the grant is refreshed. */
  @EnvBoolean()
  @IsBoolean()
  AUTHZ_OIDC_KEEP_REFRESH_TOKENS: boolean = false;

  /** AES-256-GCM key (32 bytes, base64) for kept provider refresh tokens. */
  @IsOptional()
  @IsString()
  AUTHZ_OIDC_TOKEN_KEY?: string;

  /** When set, POST /register requires `Authorization: Bearer <this>` (RFC 7591 initial access token). */
  @IsOptional()
  @IsString()
  AUTHZ_REGISTRATION_TOKEN?: string;

  /** Express `trust proxy`: which peers may set X-Forwarded-For (the gateway). */
  @IsString()
  AUTHZ_TRUST_PROXY: string = 'loopback';

  /** Requests per client IP and window on /authorize, /login, /token, /register, /auth/token. */
  @IsInt()
  @Min(1)
  AUTHZ_RATE_LIMIT_MAX: number = 120;

  @IsInt()
  @Min(1000)
  AUTHZ_RATE_LIMIT_WINDOW_MS: number = 60_000;

  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  AUTHZ_MAX_BODY_BYTES: number = 64 * 1024;

  /** Local store when STORE_URL is unset: `sqlite` (AUTHZ_DATA_DIR/oauth-store.sqlite, the default) or `memory`. */
  @IsOptional()
  @IsIn(['sqlite', 'memory'])
  AUTHZ_STORE?: 'sqlite' | 'memory';

  /** A shared store for several instances: redis:// or rediss:// (checked in authz.config). */
  @IsOptional()
  @IsString()
  STORE_URL?: string;

  /** RFC 9700 §4.14.2 grace: a spent refresh token stays usable this long while its successor is unused. */
  @IsInt()
  @Min(0)
  @Max(300)
  AUTHZ_REFRESH_REUSE_GRACE_SECONDS: number = 30;

  /** Seconds a dynamically registered client may stay unused (no completed authorization or token request). */
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  AUTHZ_DCR_UNUSED_TTL: number = 604_800;

  /** Cap on live dynamically registered clients; one more evicts a never-used client first. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTHZ_DCR_MAX_CLIENTS: number = 10_000;

  /** Client ID Metadata Documents: an https URL as client_id is fetched and validated. */
  @EnvBoolean()
  @IsBoolean()
  AUTHZ_CIMD_ENABLED: boolean = true;

  /** Hosts whose metadata documents are accepted (`example.com`, `*.example.com`); empty: any public host. */
  @IsString()
  AUTHZ_CIMD_ALLOWED_HOSTS: string = '';

  /** Hosts whose metadata documents are refused, same patterns; checked before the allow-list. */
  @IsString()
  AUTHZ_CIMD_DENIED_HOSTS: string = '';

  /** Tests only: fetch documents (and jwks_uri) from loopback addresses, over plain http too. Refused in production. */
  @EnvBoolean()
  @IsBoolean()
  AUTHZ_CIMD_ALLOW_LOOPBACK: boolean = false;

  /** Deadline of one document or jwks_uri fetch, DNS included. */
  @IsInt()
  @Min(100)
  @Max(30_000)
  AUTHZ_CIMD_FETCH_TIMEOUT_MS: number = 5000;

  /** Bounds on how long a fetched document is reused, whatever its HTTP caching headers say. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTHZ_CIMD_CACHE_MIN_SECONDS: number = 30;

  @IsInt()
  @Min(1)
  @Max(604_800)
  AUTHZ_CIMD_CACHE_MAX_SECONDS: number = 86_400;
}
