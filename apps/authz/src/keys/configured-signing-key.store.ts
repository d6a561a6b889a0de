import { kidForPem, SIGNING_ALG, type KeyFile } from './key-file';
import { SigningKeyStore } from './signing-key.store';

/** AUTHZ_SIGNING_KEY_PEM: the one key, the same wherever it is set; it changes only with the setting. */
export class ConfiguredSigningKeyStore extends SigningKeyStore {
  readonly location = 'AUTHZ_SIGNING_KEY_PEM';

  constructor(private readonly pem: string) {
    super();
  }

  async load(): Promise<KeyFile> {
    return {
      keys: [{ kid: await kidForPem(this.pem), alg: SIGNING_ALG, createdAt: 0, privateKeyPem: this.pem }],
    };
  }

  read(): Promise<KeyFile> {
    return this.load();
  }

  rotate(): Promise<never> {
    return Promise.reject(
      new Error('AUTHZ_SIGNING_KEY_PEM is set: rotate by replacing that key on every instance, not here'),
    );
  }

  watch(): void {}

  async close(): Promise<void> {}
}
