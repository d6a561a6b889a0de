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
 * RFC 7591 §2 client metadata; malformed fields are `invalid_client_metadata` (§3.2.2). Unknown fields are
 * ignored (§3.1 lets the server drop what it does not support).
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
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
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
  @MaxLength(200)
  @Matches(DISPLAYABLE_TEXT)
  client_name?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_AUTH_METHODS, default: 'client_secret_basic' })
  @IsOptional()
  @IsIn(SUPPORTED_AUTH_METHODS)
  token_endpoint_auth_method?: (typeof SUPPORTED_AUTH_METHODS)[number];

  @ApiPropertyOptional({ type: [String], enum: SUPPORTED_GRANT_TYPES, default: ['authorization_code'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  grant_types?: string[];

  @ApiPropertyOptional({ type: [String], default: ['code'] })
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
  @MaxLength(1024)
  scope?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  client_uri?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  logo_uri?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  tos_uri?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  policy_uri?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(320, { each: true })
  contacts?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  software_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  software_version?: string;
}
