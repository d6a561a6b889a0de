import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { OAuthErrorResponseDto, UnsupportedGrantTypeError } from '@app/oauth-errors';
import { noStore } from '../common/no-store';
import { issuerFor } from '../common/public-urls';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { authzConfig } from '../config/authz.config';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { TokenRequestDto } from './dto/token-request.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { RefreshTokenGrant } from './refresh-token.grant';

@ApiTags('oauth')
@Controller('token')
@UseGuards(ThrottlerGuard)
export class TokenController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly authorizationCode: AuthorizationCodeGrant,
    private readonly refreshToken: RefreshTokenGrant,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Token endpoint (RFC 6749 §3.2): authorization_code with PKCE, refresh_token' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBasicAuth('client_secret_basic')
  @ApiOkResponse({ type: TokenResponseDto, description: 'Tokens; Cache-Control: no-store' })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto, description: 'invalid_request, invalid_grant, ...' })
  @ApiUnauthorizedResponse({
    type: OAuthErrorResponseDto,
    description: 'invalid_client (+ WWW-Authenticate)',
  })
  @ApiTooManyRequestsResponse({ type: OAuthErrorResponseDto })
  async token(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: TokenRequestDto,
  ): Promise<TokenResponseDto> {
    noStore(res);
    // Unknown grant types are refused before client authentication: nothing to authenticate them for.
    if (body.grant_type !== 'authorization_code' && body.grant_type !== 'refresh_token') {
      throw new UnsupportedGrantTypeError('Supported grant types: authorization_code, refresh_token.');
    }
    const client = await this.clients.authenticate(req, body);
    const issuer = issuerFor(req, this.config.publicUrl);
    return body.grant_type === 'authorization_code'
      ? this.authorizationCode.exchange(client, body, issuer)
      : this.refreshToken.exchange(client, body, issuer);
  }
}
