/*
 * `npm run keys:rotate`: adds a new signing key to AUTHZ_DATA_DIR and retires the current one. The retired key
 * stays in the JWKS until every access token it signed has expired; a running authz picks the change up by itself.
 */
import { existsSync } from 'node:fs';
import { ConfigValidationError } from '@app/config';
import { loadAuthzConfig } from '../config/authz.config';
import { activeKey, loadOrCreateKeyFile, rotateKeyFile, writeKeyFile } from './key-file';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAuthzConfig(process.env);
  if (config.signingKeyPem) {
    throw new Error('AUTHZ_SIGNING_KEY_PEM is set: rotate by replacing that key, not the key file');
  }
  const before = await loadOrCreateKeyFile(config.dataDir);
  const lifetimeMs = (config.ttl.accessToken + 300) * 1000;
  const after = await rotateKeyFile(before, Date.now(), lifetimeMs);
  await writeKeyFile(config.dataDir, after);
  console.log(
    `rotated: active kid ${activeKey(after).kid} (was ${activeKey(before).kid}); ${after.keys.length} key(s) published`,
  );
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigValidationError
      ? error.message
      : `key rotation failed: ${(error as Error).message}`,
  );
  process.exit(1);
});
