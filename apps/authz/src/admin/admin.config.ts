import { ConfigValidationError, parseUrlList, validateConfig, type EnvSource } from '@app/config';
import { loadAuthzConfig, type AuthzConfig } from '../config/authz.config';
import { AdminEnv } from './admin.env';

export interface AdminConfig {
  authz: AuthzConfig;
  /** The running authz instances, asked in turn. */
  authzInternalUrls: string[];
  mcpInternalUrl: string;
}

/** A listener on every address is reached on loopback from the same machine. */
function reachable(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === 'loopback') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** authz's validated config (the same environment, the same store) plus the CLI's own two URLs. */
export function loadAdminConfig(source: EnvSource): AdminConfig {
  const authz = loadAuthzConfig(source);
  if (authz.store.backend === 'memory') {
    throw new ConfigValidationError([
      "AUTHZ_STORE: memory lives inside the running authz, out of the CLI's reach; use sqlite or STORE_URL",
    ]);
  }
  const env = validateConfig(AdminEnv, source);
  let authzInternalUrls: string[];
  try {
    authzInternalUrls = parseUrlList(
      'AUTHZ_INTERNAL_URL',
      env.AUTHZ_INTERNAL_URL ?? `http://${reachable(authz.host)}:${authz.port}`,
    );
  } catch (error) {
    throw new ConfigValidationError([(error as Error).message]);
  }
  return { authz, authzInternalUrls, mcpInternalUrl: env.MCP_INTERNAL_URL.replace(/\/+$/, '') };
}
