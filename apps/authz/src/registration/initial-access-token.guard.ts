import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { InvalidTokenError } from '@app/oauth-errors';
import { sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';

/**
 * RFC 7591 §3: registration may require an initial access token; it does when AUTHZ_REGISTRATION_TOKEN is set.
 * A guard runs before body validation, so an unauthorized caller learns nothing about the metadata rules.
 * Both sides are hashed first, so the constant-time comparison does not depend on the token's length.
 */
@Injectable()
export class InitialAccessTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(authzConfig.KEY) config: ConfigType<typeof authzConfig>) {
    this.expected =
      config.registrationToken === undefined ? undefined : Buffer.from(sha256(config.registrationToken));
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(req.headers.authorization ?? '');
    if (match && timingSafeEqual(Buffer.from(sha256(match[1])), this.expected)) return true;
    throw new InvalidTokenError('A valid initial access token is required to register clients.');
  }
}
