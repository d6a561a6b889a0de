import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { InvalidTokenError, OAuthErrorResponseDto } from '@app/oauth-errors';
import { InjectAuthzConfig } from '../common/authz-settings';
import { noStore } from '../common/no-store';
import { sha256 } from '../common/random';
import type { AuthzConfig } from '../config/authz.config';
import { ClientRegistrationService } from './client-registration.service';
import { ClientInformationDto } from './dto/client-information.dto';
import { RegisterClientDto } from './dto/register-client.dto';

@ApiTags('oauth')
@Controller('register')
@UseGuards(ThrottlerGuard)
export class RegistrationController {
  constructor(
    private readonly registration: ClientRegistrationService,
    @InjectAuthzConfig() private readonly config: AuthzConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Dynamic client registration (RFC 7591)' })
  @ApiBearerAuth('initial_access_token')
  @ApiCreatedResponse({ type: ClientInformationDto })
  @ApiBadRequestResponse({
    type: OAuthErrorResponseDto,
    description: 'invalid_redirect_uri, invalid_client_metadata, invalid_request',
  })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto, description: 'Initial access token required' })
  @ApiTooManyRequestsResponse({ type: OAuthErrorResponseDto })
  async register(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: RegisterClientDto,
  ): Promise<ClientInformationDto> {
    this.assertInitialAccessToken(req);
    noStore(res);
    return this.registration.register(body);
  }

  /** RFC 7591 §3: registration may require an initial access token; only when AUTHZ_REGISTRATION_TOKEN is set. */
  private assertInitialAccessToken(req: Request): void {
    const expected = this.config.registrationToken;
    if (expected === undefined) return;
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(req.headers.authorization ?? '');
    const ok = match && timingSafeEqual(Buffer.from(sha256(match[1])), Buffer.from(sha256(expected)));
    if (!ok) throw new InvalidTokenError('A valid initial access token is required to register clients.');
  }
}
