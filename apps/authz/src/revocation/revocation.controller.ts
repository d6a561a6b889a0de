import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { OAuthErrorResponseDto, UnauthorizedClientError } from '@app/oauth-errors';
import { RefreshTokenRepository } from '@app/oauth-store';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { noStore } from '../common/no-store';
import { sha256 } from '../common/random';
import { AccessTokenIssuer } from '../keys/access-token.issuer';
import { TokenReferenceDto } from './dto/revoke-request.dto';
import { TokenRevocationService } from './token-revocation.service';

@ApiTags('oauth')
@Controller('revoke')
@UseGuards(ThrottlerGuard)
export class RevocationController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly revocation: TokenRevocationService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Token revocation (RFC 7009): a refresh token revokes its whole grant; an access token is deny-listed',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBasicAuth('client_secret_basic')
  @ApiOkResponse({ description: 'Revoked, or the token was unknown (RFC 7009 §2.2: same answer)' })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto })
  async revoke(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: TokenReferenceDto,
  ): Promise<Record<string, never>> {
    noStore(res);
    const client = await this.clients.authenticate(req, body);
    // The hint only orders the lookups (RFC 7009 §2.1); both kinds are tried.
    const refresh = await this.refreshTokens.find(sha256(body.token));
    if (refresh) {
      if (refresh.clientId !== client.clientId) throw this.notYours();
      await this.revocation.revokeGrant(refresh.grantId);
      return {};
    }
    const claims = await this.accessTokens.verify(body.token);
    if (claims) {
      if (claims.client_id !== client.clientId) throw this.notYours();
      await this.revocation.revokeAccessToken(claims.jti!, claims.exp! * 1000);
    }
    // RFC 7009 §2.2: invalid or unknown tokens get 200 too.
    return {};
  }

  /** RFC 7009 §2.1: a client may revoke only its own tokens. */
  private notYours(): UnauthorizedClientError {
    return new UnauthorizedClientError('The token was not issued to this client.');
  }
}
