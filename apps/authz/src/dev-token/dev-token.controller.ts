import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import {
  AccessDeniedError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  OAuthErrorResponseDto,
} from '@app/oauth-errors';
import { AuditTrail } from '@app/observability';
import { GrantRepository } from '@app/oauth-store';
import { scopesSupported } from '@app/protected-resources';
import { ALL_MCP_SCOPES, formatScope, parseScope } from '@app/scopes';
import { isLoopbackClient } from '../common/loopback-client';
import { noStore } from '../common/no-store';
import { issuerFor } from '../common/public-urls';
import { randomToken } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { AccessTokenIssuer } from '../keys/access-token.issuer';

const DEV_TOKEN_CLIENT_ID = 'dev-token';

class DevTokenRequestDto {
  @ApiPropertyOptional({
    description: "Space-separated subset of the resource's scopes (the MCP scopes and its own); default all",
    example: 'mcp:tools:read mcp:tools:execute',
  })
  scope?: string;

  @ApiPropertyOptional({
    description:
      'The protected resource (RFC 8707), e.g. http://localhost:3002/echo/mcp; default the /mcp resource',
  })
  resource?: string;
}

class DevTokenResponseDto {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 3600 }) expires_in: number;
  @ApiProperty({ example: ALL_MCP_SCOPES.join(' ') }) scope: string;
}

/**
 * Development shortcut for curl and the Inspector's bearer-header mode: a token for AUTHZ_DEFAULT_USER without
 * the browser flow. The module registers this controller only when AUTHZ_DEV_TOKENS is on (never in production).
 */
@ApiTags('development')
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class DevTokenController {
  constructor(
    private readonly issuer: AccessTokenIssuer,
    private readonly grants: GrantRepository,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
    private readonly audit: AuditTrail,
  ) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Development access token (disabled in production; 404 when off)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  // The pre-filled example leaves `resource` out: a resource URL depends on the host the docs are read on.
  @ApiBody({
    type: DevTokenRequestDto,
    required: false,
    examples: { 'the /mcp resource': { value: { scope: 'mcp:tools:read mcp:tools:execute' } } },
  })
  @ApiOkResponse({ type: DevTokenResponseDto })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto, description: 'invalid_scope' })
  @ApiForbiddenResponse({ type: OAuthErrorResponseDto, description: 'access_denied: not a loopback client' })
  @ApiNotFoundResponse({ type: OAuthErrorResponseDto, description: 'Dev tokens are disabled' })
  async token(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<DevTokenResponseDto> {
    noStore(res);
    if (!isLoopbackClient(req)) {
      throw new AccessDeniedError('Development tokens are issued to clients on this machine only.');
    }
    const raw = body?.scope;
    if (raw !== undefined && typeof raw !== 'string')
      throw new InvalidRequestError('scope must be a string.');
    const issuer = issuerFor(req, this.config.publicUrl);
    const asked = body?.resource;
    if (asked !== undefined && typeof asked !== 'string')
      throw new InvalidRequestError('resource must be a string.');
    const target =
      asked === undefined
        ? this.config.resources.defaultFor(issuer)
        : this.config.resources.find(asked, issuer);
    if (!target) throw new InvalidTargetError('Unknown resource.');
    const known = scopesSupported(target.entry);
    const scopes = raw === undefined || raw.trim() === '' ? known : parseScope(raw);
    if (!scopes.every((scope) => known.includes(scope)))
      throw new InvalidScopeError(`Known scopes: ${known.join(' ')}.`);
    const resource = target.url;
    const subject = this.config.defaultUser;
    // Resource servers accept a token only while its grant is known, so a development token gets one too.
    const grantId = randomToken(16);
    const now = Date.now();
    await this.grants.save({
      grantId,
      clientId: DEV_TOKEN_CLIENT_ID,
      subject,
      scopes,
      resource,
      createdAt: now,
      expiresAt: now + this.config.ttl.accessToken * 1000,
    });
    const token = await this.issuer.issue({
      issuer,
      subject,
      clientId: DEV_TOKEN_CLIENT_ID,
      scopes,
      resource,
      grantId,
    });
    this.audit.record({
      type: 'token.issued',
      sub: subject,
      client_id: DEV_TOKEN_CLIENT_ID,
      grant_id: grantId,
      grant_type: 'development',
      scopes,
    });
    return {
      access_token: token.accessToken,
      token_type: 'Bearer',
      expires_in: token.expiresIn,
      scope: formatScope(scopes),
    };
  }
}
