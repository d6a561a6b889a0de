import { IsInt, IsString, Max, Min } from 'class-validator';
import { PublicUrlEnv } from '@app/config';

/** Every variable the authz app reads, with its default. Property names are the variable names. */
export class AuthzEnv extends PublicUrlEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  AUTHZ_PORT: number = 3003;

  /** Internal service: loopback by default, only the gateway talks to it. */
  @IsString()
  AUTHZ_HOST: string = '127.0.0.1';
}
