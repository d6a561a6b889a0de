import { splitList } from '@app/config';
import type { AuthzEnv } from './authz.env';

/** Client ID Metadata Document policy (draft-ietf-oauth-client-id-metadata-document). */
export interface CimdSettings {
  enabled: boolean;
  /** Host patterns (`example.com`, `*.example.com`), lower case; empty allow-list: any host. */
  allowedHosts: string[];
  deniedHosts: string[];
  allowLoopback: boolean;
  fetchTimeoutMs: number;
  cacheSeconds: { min: number; max: number };
}

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

function hostPatterns(name: string, value: string): string[] {
  const patterns = splitList(value).map((item) => item.toLowerCase());
  const bad = patterns.find((pattern) => !HOST_PATTERN.test(pattern));
  if (bad !== undefined)
    throw new Error(`${name}: ${JSON.stringify(bad)} is not a host name or *.domain pattern`);
  return patterns;
}

/** The CIMD settings, checked once at boot; throws a message naming the variable. */
export function cimdSettings(env: AuthzEnv): CimdSettings {
  const min = env.AUTHZ_CIMD_CACHE_MIN_SECONDS;
  const max = env.AUTHZ_CIMD_CACHE_MAX_SECONDS;
  if (min > max)
    throw new Error('AUTHZ_CIMD_CACHE_MIN_SECONDS: must not exceed AUTHZ_CIMD_CACHE_MAX_SECONDS');
  return {
    enabled: env.AUTHZ_CIMD_ENABLED,
    allowedHosts: hostPatterns('AUTHZ_CIMD_ALLOWED_HOSTS', env.AUTHZ_CIMD_ALLOWED_HOSTS),
    deniedHosts: hostPatterns('AUTHZ_CIMD_DENIED_HOSTS', env.AUTHZ_CIMD_DENIED_HOSTS),
    allowLoopback: env.AUTHZ_CIMD_ALLOW_LOOPBACK,
    fetchTimeoutMs: env.AUTHZ_CIMD_FETCH_TIMEOUT_MS,
    cacheSeconds: { min, max },
  };
}
