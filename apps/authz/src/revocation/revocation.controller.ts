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
import { OAuthErrorResponseDto } from '@app/oauth-errors';
import { RefreshTokenRepository } from '@app/oauth-store';
import { isGrantId } from '@app/resource-server';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { noStore } from '../common/no-store';
import { sha256 } from '../common/random';
import { AccessTokenIssuer } from '../keys/access-token.issuer';
import { BearerCaller } from './bearer-caller';
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
    private readonly bearer: BearerCaller,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Token revocation (RFC 7009): a refresh or access token revokes its whole grant; always 200 once authenticated',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBasicAuth('client_secret_basic')
  @ApiOkResponse({
    description: "Revoked, or the token was unknown or not this client's (RFC 7009 §2.2: same answer)",
  })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto })
  async revoke(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: TokenReferenceDto,
  ): Promise<Record<string, never>> {
    noStore(res);
    const client =
      (await this.bearer.clientOf(req, body)) ?? (await this.clients.authenticate(req, body, '/revoke'));
    const grantId = await this.grantOf(body.token, client.clientId);
    if (grantId !== undefined) await this.revocation.revokeGrant(grantId);
    // RFC 7009 §2.2: 200 whatever the token: unknown, expired, or another client's (left alone). Refusing the
    // last one (§2.1) would tell a client that a token it should not hold is live.
    return {};
  }

  /** The grant of a refresh or access token issued to this client; undefined for any other token. */
  private async grantOf(token: string, clientId: string): Promise<string | undefined> {
    // The hint only orders the lookups (RFC 7009 §2.1); both kinds are tried.
    const refresh = await this.refreshTokens.find(sha256(token));
    if (refresh) return refresh.clientId === clientId ? refresh.grantId : undefined;
    const claims = await this.accessTokens.verify(token);
    return claims?.client_id === clientId && isGrantId(claims.grant_id) ? claims.grant_id : undefined;
  }
}
