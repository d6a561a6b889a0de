import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NotFoundError, OAuthErrorResponseDto } from '@app/oauth-errors';
import { issuerFor } from '../common/public-urls';
import { authzConfig } from '../config/authz.config';
import {
  authorizationServerMetadata,
  type AuthorizationServerMetadata,
} from './authorization-server-metadata';
import { AuthorizationServerMetadataDto } from './metadata.dto';

@ApiTags('discovery')
@Controller('.well-known')
export class MetadataController {
  constructor(@Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>) {}

  @Get('oauth-authorization-server')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ type: AuthorizationServerMetadataDto })
  oauth(@Req() req: Request, @Res({ passthrough: true }) res: Response): AuthorizationServerMetadata {
    return this.metadata(req, res, '');
  }

  @Get('oauth-authorization-server/*path')
  @ApiOperation({ summary: 'RFC 8414 §3.1 path-inserted form (issuer path, or the MCP resource path)' })
  @ApiOkResponse({ type: AuthorizationServerMetadataDto })
  @ApiNotFoundResponse({ type: OAuthErrorResponseDto })
  oauthWithPath(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Param('path') path: string[] | string,
  ): AuthorizationServerMetadata {
    return this.metadata(req, res, joinPath(path));
  }

  @Get('openid-configuration')
  @ApiOperation({ summary: 'The same metadata where OpenID-style clients look for it' })
  @ApiOkResponse({ type: AuthorizationServerMetadataDto })
  openid(@Req() req: Request, @Res({ passthrough: true }) res: Response): AuthorizationServerMetadata {
    return this.metadata(req, res, '');
  }

  @Get('openid-configuration/*path')
  @ApiOperation({ summary: 'Path-inserted form of openid-configuration' })
  @ApiOkResponse({ type: AuthorizationServerMetadataDto })
  @ApiNotFoundResponse({ type: OAuthErrorResponseDto })
  openidWithPath(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Param('path') path: string[] | string,
  ): AuthorizationServerMetadata {
    return this.metadata(req, res, joinPath(path));
  }

  /**
   * The document for the issuer of this request. A path suffix is accepted when it is the issuer's own path
   * (RFC 8414 §3.1) or a protected resource's path (`/mcp`, GATEWAY_RESOURCES_FILE), which MCP clients of the
   * 2025-03-26 era derive from the resource URL.
   */
  private metadata(req: Request, res: Response, suffix: string): AuthorizationServerMetadata {
    const issuer = issuerFor(req, this.config.publicUrl);
    const issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
    if (suffix !== '' && suffix !== issuerPath && !this.config.resources.isResourcePath(suffix, issuerPath)) {
      throw new NotFoundError('No metadata for this path.');
    }
    // The document depends on the Host the client used, so shared caches must key on it.
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Vary', 'Host, X-Forwarded-Host, X-Forwarded-Proto');
    return authorizationServerMetadata(issuer, {
      clientIdMetadataDocuments: this.config.cimd.enabled,
      scopes: this.config.resources.grantableScopes,
    });
  }
}

function joinPath(path: string[] | string): string {
  const parts = Array.isArray(path) ? path : path.split('/');
  return `/${parts.filter(Boolean).join('/')}`;
}
