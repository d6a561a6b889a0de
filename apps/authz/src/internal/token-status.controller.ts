import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { InvalidRequestError, NotFoundError } from '@app/oauth-errors';
import { TokenRevocationService } from '../revocation/token-revocation.service';

/**
 * GET /internal/token-status?jti=... -> {"revoked": boolean}: the MCP server asks this for every request.
 * Private: the gateway never routes /internal, and a request that came through a proxy (X-Forwarded-For set)
 * is answered 404 as defence in depth. The exact `GET /internal/token-status` is answered by TokenStatusFastPath
 * ahead of Express with the same rules; this controller answers every other spelling.
 */
@ApiExcludeController()
@Controller('internal')
export class TokenStatusController {
  constructor(private readonly revocation: TokenRevocationService) {}

  @Get('token-status')
  @Header('Cache-Control', 'no-store')
  async tokenStatus(@Req() req: Request, @Query('jti') jti: unknown): Promise<{ revoked: boolean }> {
    if (req.headers['x-forwarded-for'] !== undefined) throw new NotFoundError('No such endpoint.');
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
      throw new InvalidRequestError('Query parameter jti is required.');
    }
    return { revoked: await this.revocation.isRevoked(jti) };
  }
}
