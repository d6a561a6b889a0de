import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InvalidClientMetadataError, ValidationFailsWith } from '@app/oauth-errors';
import { DISPLAYABLE_TEXT } from '../../common/displayable-text';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';

export const SUPPORTED_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
const SUPPORTED_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/**
 * Size limits per field (stated in the README): registration is open, so a stored client must stay small, at
 * most about 8 KB of metadata (8 redirect URIs and 4 other URIs of 512 characters, 5 contacts of 254, a name of
 * 200, software id and version of 128 and 64). Real MCP clients send one or two short redirect URIs.
 */
export const METADATA_LIMITS = {
  redirectUris: 8,
  uriLength: 512,
  clientName: 200,
  contacts: 5,
  contactLength: 254,
  softwareId: 128,
  softwareVersion: 64,
  scope: 1024,
} as const;

/**
 * RFC 7591 §2 client metadata; malformed fields are `invalid_client_metadata` (§3.2.2). Unknown fields are
 * ignored (§3.1 lets the server drop what it does not support). Every property's example is part of one complete
 * loopback public client (RFC 8252 §7.3), which Swagger UI pre-fills and which registers as it is.
 */
@ValidationFailsWith(InvalidClientMetadataError)
export class RegisterClientDto {
  @ApiProperty({
    type: [String],
    example: ['http://127.0.0.1:33418/callback'],
    description:
      'https, http on a loopback host (any port at /authorize), or a private-use scheme (RFC 8252 §7.1)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(METADATA_LIMITS.redirectUris)
  @IsString({ each: true })
  @MaxLength(METADATA_LIMITS.uriLength, { each: true })
  redirect_uris: string[];

  @ApiPropertyOptional({
    enum: ['web', 'native'],
    description:
      'OpenID Connect Registration §2; native apps (SEP-837) use loopback or private-use scheme redirects',
  })
  @IsOptional()
  @IsIn(['web', 'native'])
  application_type?: 'web' | 'native';

  @ApiPropertyOptional({ example: 'My MCP client' })
  @IsOptional()
  @IsString()
  @MaxLength(METADATA_LIMITS.clientName)
  @Matches(DISPLAYABLE_TEXT)
  client_name?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_AUTH_METHODS, default: 'client_secret_basic', example: 'none' })
  @IsOptional()
  @IsIn(SUPPORTED_AUTH_METHODS)
  token_endpoint_auth_method?: (typeof SUPPORTED_AUTH_METHODS)[number];

  @ApiPropertyOptional({
    type: [String],
    enum: SUPPORTED_GRANT_TYPES,
    default: ['authorization_code'],
    example: ['authorization_code', 'refresh_token'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  grant_types?: string[];

  @ApiPropertyOptional({ type: [String], default: ['code'], example: ['code'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  response_types?: string[];

  @ApiPropertyOptional({
    example: 'mcp:tools:read mcp:tools:execute',
    description: 'Defaults to all MCP scopes',
  })
  @IsOptional()
  @IsString()
  @MaxLength(METADATA_LIMITS.scope)
  scope?: string;

  @ApiPropertyOptional({ example: 'https://client.example.com' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(METADATA_LIMITS.uriLength)
  client_uri?: string;

  @ApiPropertyOptional({ example: 'https://client.example.com/logo.png' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(METADATA_LIMITS.uriLength)
  logo_uri?: string;

  @ApiPropertyOptional({ example: 'https://client.example.com/terms' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(METADATA_LIMITS.uriLength)
  tos_uri?: string;

  @ApiPropertyOptional({ example: 'https://client.example.com/privacy' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(METADATA_LIMITS.uriLength)
  policy_uri?: string;

  @ApiPropertyOptional({ type: [String], example: ['ops@client.example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(METADATA_LIMITS.contacts)
  @IsString({ each: true })
  @MaxLength(METADATA_LIMITS.contactLength, { each: true })
  contacts?: string[];

  @ApiPropertyOptional({ example: 'example-mcp-client' })
  @IsOptional()
  @IsString()
  @MaxLength(METADATA_LIMITS.softwareId)
  software_id?: string;

  @ApiPropertyOptional({ example: '1.0.0' })
  @IsOptional()
  @IsString()
  @MaxLength(METADATA_LIMITS.softwareVersion)
  software_version?: string;
}
