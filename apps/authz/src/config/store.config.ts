import { join } from 'node:path';
import { checkStoreUrl } from '@app/config';
import type { OAuthStoreOptions } from '@app/oauth-store';
import type { AuthzEnv } from './authz.env';

export const SQLITE_STORE_FILE = 'oauth-store.sqlite';

/**
 * One setting picks the store: STORE_URL (redis:// or rediss://) selects Redis, shared by several instances;
 * otherwise AUTHZ_STORE picks a local one, SQLite in AUTHZ_DATA_DIR by default (state survives restarts) or
 * memory by explicit choice. Setting both is refused rather than guessed.
 */
export function storeOptions(env: AuthzEnv): OAuthStoreOptions {
  const limits = { maxClients: env.AUTHZ_DCR_MAX_CLIENTS };
  if (env.STORE_URL !== undefined) {
    if (env.AUTHZ_STORE !== undefined) {
      throw new Error('AUTHZ_STORE: leave it unset when STORE_URL is set (STORE_URL selects Redis)');
    }
    checkStoreUrl(env.STORE_URL);
    return { backend: 'redis', url: env.STORE_URL, ...limits };
  }
  if (env.AUTHZ_STORE === 'memory') return { backend: 'memory', ...limits };
  return { backend: 'sqlite', file: join(env.AUTHZ_DATA_DIR, SQLITE_STORE_FILE), ...limits };
}
