import { registerAs } from '@nestjs/config';
import { toPublicUrlSettings, validateConfig, type EnvSource, type PublicUrlSettings } from '@app/config';
import { AuthzEnv } from './authz.env';

export interface AuthzConfig {
  env: AuthzEnv;
  port: number;
  host: string;
  publicUrl: PublicUrlSettings;
}

/** Validates once at boot; a bad value throws a ConfigValidationError naming the variable. */
export function loadAuthzConfig(source: EnvSource): AuthzConfig {
  const env = validateConfig(AuthzEnv, source);
  return {
    env,
    port: env.AUTHZ_PORT,
    host: env.AUTHZ_HOST,
    publicUrl: toPublicUrlSettings(env.PUBLIC_URL, env.PUBLIC_HOST_ALIASES),
  };
}

export const AUTHZ_CONFIG = 'authz';

export const authzConfig = (config: AuthzConfig) => registerAs(AUTHZ_CONFIG, () => config);
