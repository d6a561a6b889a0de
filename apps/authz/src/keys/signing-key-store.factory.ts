import { TokenCipher } from '../common/token-cipher';
import type { AuthzConfig } from '../config/authz.config';
import { ConfiguredSigningKeyStore } from './configured-signing-key.store';
import { FileSigningKeyStore } from './file-signing-key.store';
import { RedisSigningKeyStore } from './redis-signing-key.store';
import type { SigningKeyStore } from './signing-key.store';

/**
 * THE choice of where the signing keys are kept, for authz and its CLIs alike: AUTHZ_SIGNING_KEY_PEM when set;
 * Redis, sealed, when the store is (STORE_URL: every instance signs with the same keys); else the key file.
 */
export function signingKeyStoreFor(config: AuthzConfig): SigningKeyStore {
  if (config.signingKeyPem) return new ConfiguredSigningKeyStore(config.signingKeyPem);
  if (config.store.backend === 'redis') {
    // authz.config requires the key with STORE_URL (keys-encryption.config.ts).
    if (!config.keysEncryptionKey) throw new Error('AUTHZ_KEYS_ENCRYPTION_KEY is required with STORE_URL');
    return new RedisSigningKeyStore(config.store.url, new TokenCipher(config.keysEncryptionKey));
  }
  return new FileSigningKeyStore(config.dataDir);
}
