import { IsOptional, IsString, IsUrl } from 'class-validator';

const INTERNAL_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/**
 * What the admin CLI reads besides authz's own variables (it runs with authz's environment: the same store,
 * data dir and keys).
 */
export class AdminEnv {
  /**
   * Where the CLI reaches a running authz (to announce revocations in SQLite mode); default from AUTHZ_HOST/PORT.
   * A comma-separated list (mcp's setting, in a shared .env) is asked in turn (checked in admin.config).
   */
  @IsOptional()
  @IsString()
  AUTHZ_INTERNAL_URL?: string;

  /** Where the CLI reaches mcp's internal listener, for `sessions list`. */
  @IsUrl(INTERNAL_URL)
  MCP_INTERNAL_URL: string = 'http://127.0.0.1:3004';
}
