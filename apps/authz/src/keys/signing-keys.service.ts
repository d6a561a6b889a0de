import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { unwatchFile, watchFile, type StatsListener } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, exportJWK, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { authzConfig } from '../config/authz.config';
import {
  activeKey,
  isPublished,
  keyFilePath,
  kidForPem,
  loadOrCreateKeyFile,
  readKeyFile,
  SIGNING_ALG,
  type KeyFile,
  type StoredSigningKey,
} from './key-file';

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

/** Clock skew allowance added to the token lifetime before a retired key leaves the JWKS. */
const PUBLISH_MARGIN_MS = 5 * 60_000;
const RELOAD_POLL_MS = 2_000;

/**
 * Owns the signing keys: from AUTHZ_SIGNING_KEY_PEM, or from the key file in AUTHZ_DATA_DIR (created on first
 * start). The key file is watched, so `npm run keys:rotate` takes effect in a running server within seconds.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeysService.name);
  private loaded?: LoadedKeys;
  private watcher?: StatsListener;

  constructor(@Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>) {}

  async onModuleInit(): Promise<void> {
    if (this.config.signingKeyPem) {
      const pem = this.config.signingKeyPem;
      this.loaded = await this.build({
        keys: [{ kid: await kidForPem(pem), alg: SIGNING_ALG, createdAt: 0, privateKeyPem: pem }],
      });
      return;
    }
    this.loaded = await this.build(await loadOrCreateKeyFile(this.config.dataDir));
    this.watcher = () => void this.reload();
    watchFile(
      keyFilePath(this.config.dataDir),
      { interval: RELOAD_POLL_MS, persistent: false },
      this.watcher,
    );
  }

  onModuleDestroy(): void {
    // Only our own listener: several apps in one process (tests) may watch the same file.
    if (this.watcher) unwatchFile(keyFilePath(this.config.dataDir), this.watcher);
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
    const lifetime = this.config.ttl.accessToken * 1000 + PUBLISH_MARGIN_MS;
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

  private async reload(): Promise<void> {
    try {
      const file = await readKeyFile(this.config.dataDir);
      if (!file) return;
      this.loaded = await this.build(file);
      this.logger.log(`signing keys reloaded; active kid ${this.loaded.signing.kid}`);
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
