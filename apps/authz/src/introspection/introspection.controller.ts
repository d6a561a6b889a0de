import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { InvalidClientError, OAuthErrorResponseDto } from '@app/oauth-errors';
import { GrantRepository, RefreshTokenRepository, type ClientRecord } from '@app/oauth-store';
import { isGrantId } from '@app/resource-server';
import { formatScope } from '@app/scopes';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { noStore } from '../common/no-store';
import { sha256 } from '../common/random';
import { BearerCaller } from '../revocation/bearer-caller';
import { TokenReferenceDto } from '../revocation/dto/revoke-request.dto';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import { AccessTokenIssuer } from '../keys/access-token.issuer';
import { IntrospectionResponseDto } from './dto/introspection-response.dto';

const INACTIVE: IntrospectionResponseDto = { active: false };

@ApiTags('oauth')
@Controller('introspect')
@UseGuards(ThrottlerGuard)
export class IntrospectionController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly grants: GrantRepository,
    private readonly revocation: TokenRevocationService,
    private readonly bearer: BearerCaller,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Token introspection (RFC 7662) for confidential clients; only their own tokens read as active',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBasicAuth('client_secret_basic')
  @ApiOkResponse({ type: IntrospectionResponseDto })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto, description: 'invalid_client' })
  async introspect(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: TokenReferenceDto,
  ): Promise<IntrospectionResponseDto> {
    noStore(res);
    // RFC 7662 §2.1: the caller must authenticate: with its client secret, or with an access token of its own
    // (a public client has no secret); a bare client_id proves nothing.
    const caller = await this.bearer.clientOf(req, body);
    const client = caller ?? (await this.clients.authenticate(req, body, '/introspect'));
    if (!caller && client.tokenEndpointAuthMethod === 'none') {
      throw new InvalidClientError('Introspection requires client authentication or a bearer access token.');
    }
    return (
      (await this.accessToken(body.token, client)) ??
      (await this.refreshToken(body.token, client)) ??
      INACTIVE
    );
  }

  /** Another client's token reads as inactive (RFC 7662 §4: do not help token scanning). */
  private async accessToken(
    token: string,
    client: ClientRecord,
  ): Promise<IntrospectionResponseDto | undefined> {
    const claims = await this.accessTokens.verify(token);
    if (!claims) return undefined;
    if (claims.client_id !== client.clientId || !isGrantId(claims.grant_id)) return INACTIVE;
    if ((await this.revocation.grantStatus(claims.grant_id)) !== 'active') return INACTIVE;
    return {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: Array.isArray(claims.aud) ? claims.aud[0] : claims.aud,
      iss: claims.iss,
      jti: claims.jti,
    };
  }

  private async refreshToken(
    token: string,
    client: ClientRecord,
  ): Promise<IntrospectionResponseDto | undefined> {
    const record = await this.refreshTokens.find(sha256(token));
    if (!record) return undefined;
    const grant = await this.grants.find(record.grantId);
    const spent = record.consumedAt !== undefined || !grant || grant.revokedAt !== undefined;
    if (record.clientId !== client.clientId || spent) return INACTIVE;
    return {
      active: true,
      scope: formatScope(record.scopes),
      client_id: record.clientId,
      token_type: 'refresh_token',
      exp: Math.floor(record.expiresAt / 1000),
      iat: Math.floor(record.issuedAt / 1000),
      sub: grant!.subject,
      aud: record.resource,
    };
  }
}
