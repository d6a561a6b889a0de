import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { authzConfig } from '../config/authz.config';
import type { PasswordHash } from '../config/users.config';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

const DEFAULT_SCRYPT = { N: 16384, r: 8, p: 1 } as const;

/** `scrypt:N:r:p:salt:hash`, the format AUTHZ_USERS stores. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, DEFAULT_SCRYPT);
  const { N, r, p } = DEFAULT_SCRYPT;
  return `scrypt:${N}:${r}:${p}:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

async function matches(password: string, stored: PasswordHash): Promise<boolean> {
  const actual = await scrypt(password, stored.salt, stored.hash.length, {
    N: stored.N,
    r: stored.r,
    p: stored.p,
  });
  return timingSafeEqual(actual, stored.hash);
}

/** Local users from AUTHZ_USERS (scrypt hashes). */
@Injectable()
export class LocalUsersService implements OnModuleInit {
  /**
   * Compared against when the user is unknown, so timing does not reveal which names exist: same scrypt cost
   * and key length as a configured user, so the login form cannot be used to enumerate user names.
   */
  private readonly decoy: PasswordHash;

  constructor(@Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>) {
    const model = config.users.values().next().value;
    this.decoy = {
      ...(model ? { N: model.N, r: model.r, p: model.p } : DEFAULT_SCRYPT),
      salt: randomBytes(16),
      hash: randomBytes(model?.hash.length ?? 32),
    };
  }

  onModuleInit(): void {
    if (!this.config.autoLogin && this.config.users.size === 0) {
      new Logger(LocalUsersService.name).warn(
        'AUTHZ_USERS is empty and auto-login is off: nobody can sign in',
      );
    }
  }

  async verify(username: string, password: string): Promise<boolean> {
    const stored = this.config.users.get(username);
    const ok = await matches(password, stored ?? this.decoy);
    return ok && stored !== undefined;
  }
}
