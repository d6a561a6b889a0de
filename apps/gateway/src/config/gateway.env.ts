import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { CommonEnv } from '@app/config';

/** Every variable the gateway reads, with its default. Property names are the variable names. */
export class GatewayEnv extends CommonEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_PORT: number = 3002;

  @IsOptional()
  @IsString()
  GATEWAY_HOST?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  AUTHZ_UPSTREAM_URL: string = 'http://127.0.0.1:3003';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  MCP_UPSTREAM_URL: string = 'http://127.0.0.1:3004';
}
