import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, exportJWK, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { authzConfig } from '../config/authz.config';
import {
  activeKey,
  isPublished,
  publishedForMs,
  SIGNING_ALG,
  type KeyFile,
  type StoredSigningKey,
} from './key-file';
import { SigningKeyStore } from './signing-key.store';

export interface SigningKey {
  kid: string;
  alg: typeof SIGNING_ALG;
  /** Parsed once; RS256 signing is the token endpoint's main cost, parsing the PEM per token would double it. */
  privateKey: KeyObject;
}

interface PublishedKey {
  stored: StoredSigningKey;
  jwk: JWK;
}

interface LoadedKeys {
  signing: SigningKey;
  published: PublishedKey[];
  /** Cached until the set of published keys changes (a retired key's tokens expire, or a reload). */
  jwks?: { kids: string; set: JSONWebKeySet; verify: JWTVerifyGetKey };
}

/**
 * Owns the signing keys, from the SigningKeyStore (AUTHZ_SIGNING_KEY_PEM, the key file in AUTHZ_DATA_DIR, or
 * Redis in cluster mode), created on first start. The store is watched, so a rotation (`npm run keys:rotate`,
 * the admin CLI) takes effect in every running instance without a restart.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeysService.name);
  private loaded?: LoadedKeys;
  private readonly changeListeners = new Set<() => void>();

  constructor(
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
    private readonly store: SigningKeyStore,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      this.loaded = await this.build(await this.store.load());
    } catch (error) {
      await this.store.close(); // the boot fails; nothing of ours may keep the process alive
      throw error;
    }
    this.store.watch({
      changed: (set) => void this.reload(set),
      failed: (error) => this.logger.error(`keeping the current signing keys: ${error.message}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }

  /** Hears every reload (a rotation made elsewhere), once the new keys sign and are published here. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  get signingKey(): SigningKey {
    return this.keys().signing;
  }

  /** The active key plus retired keys whose tokens may still be valid (RFC 7517 set). */
  get jwks(): JSONWebKeySet {
    return this.publishedNow().set;
  }

  /** For verifying our own tokens (revocation, introspection): every published key. */
  get verificationKeys(): JWTVerifyGetKey {
    return this.publishedNow().verify;
  }

  private keys(): LoadedKeys {
    if (!this.loaded) throw new Error('signing keys are not loaded yet');
    return this.loaded;
  }

  private publishedNow(): NonNullable<LoadedKeys['jwks']> {
    const loaded = this.keys();
    const now = Date.now();
    const lifetime = publishedForMs(this.config.ttl.accessToken);
    const live = loaded.published.filter(
      ({ stored }) => stored.kid === loaded.signing.kid || isPublished(stored, now, lifetime),
    );
    const kids = live.map(({ stored }) => stored.kid).join(' ');
    if (loaded.jwks?.kids !== kids) {
      const set = { keys: live.map(({ jwk }) => jwk) };
      loaded.jwks = { kids, set, verify: createLocalJWKSet(set) };
    }
    return loaded.jwks!;
  }

  private async reload(set: KeyFile): Promise<void> {
    try {
      this.loaded = await this.build(set);
      this.logger.log(`signing keys reloaded; active kid ${this.loaded.signing.kid}`);
      for (const listener of this.changeListeners) listener();
    } catch (error) {
      this.logger.error(`keeping the current signing keys: ${(error as Error).message}`);
    }
  }

  private async build(file: KeyFile): Promise<LoadedKeys> {
    const active = activeKey(file);
    const published = await Promise.all(
      file.keys.map(async (stored) => ({
        stored,
        jwk: {
          ...(await exportJWK(createPublicKey(createPrivateKey(stored.privateKeyPem)))),
          kid: stored.kid,
          alg: stored.alg,
          use: 'sig',
        },
      })),
    );
    const privateKey = createPrivateKey(active.privateKeyPem);
    return { signing: { kid: active.kid, alg: SIGNING_ALG, privateKey }, published };
  }
}
