import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
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
import type { Response } from 'express';
import { OAuthErrorResponseDto } from '@app/oauth-errors';
import { noStore } from '../common/no-store';
import { ClientRegistrationService } from './client-registration.service';
import { ClientInformationDto } from './dto/client-information.dto';
import { RegisterClientDto } from './dto/register-client.dto';
import { InitialAccessTokenGuard } from './initial-access-token.guard';

@ApiTags('oauth')
@Controller('register')
@UseGuards(ThrottlerGuard, InitialAccessTokenGuard)
export class RegistrationController {
  constructor(private readonly registration: ClientRegistrationService) {}

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
    @Res({ passthrough: true }) res: Response,
    @Body() body: RegisterClientDto,
  ): Promise<ClientInformationDto> {
    noStore(res);
    return this.registration.register(body);
  }
}
