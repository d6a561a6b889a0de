/*
 * `npm run keys:rotate` (also `npm run admin -- keys rotate`): adds a new signing key, to the key file in
 * AUTHZ_DATA_DIR or, in cluster mode (STORE_URL), to Redis, and retires the current one. The retired key stays in
 * the JWKS until every access token it signed has expired; every running authz picks the change up by itself.
 */
import { existsSync } from 'node:fs';
import { ConfigValidationError } from '@app/config';
import { loadAuthzConfig } from '../config/authz.config';
import { rotateSigningKeys } from './key-rotation';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const rotated = await rotateSigningKeys(loadAuthzConfig(process.env));
  console.log(
    `rotated: active kid ${rotated.active} (was ${rotated.previous}); ${rotated.published} key(s) published`,
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
