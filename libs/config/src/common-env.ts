// Before any decorated class: implicit conversion reads the `design:type` metadata TypeScript emits only when
// Reflect.metadata exists at class definition time, and nothing guarantees a Nest import came first.
import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

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
