import { IsInt, IsString, Max, Min } from 'class-validator';
import { PublicUrlEnv } from '@app/config';

/** Every variable the mcp app reads, with its default. Property names are the variable names. */
export class McpEnv extends PublicUrlEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  MCP_PORT: number = 3004;

  /** Internal service: loopback by default, only the gateway talks to it. */
  @IsString()
  MCP_HOST: string = '127.0.0.1';
}
