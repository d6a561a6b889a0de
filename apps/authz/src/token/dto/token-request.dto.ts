import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ClientAuthenticationDto } from '../../clients/dto/client-authentication.dto';

/**
 * Parameters of POST /token (RFC 6749 §4.1.3, §6; RFC 7636 §4.5; RFC 8707 §2.2). Each grant checks which ones
 * it needs; types are checked here so a repeated parameter (an array) or a JSON number is `invalid_request`.
 */
export class TokenRequestDto extends ClientAuthenticationDto {
  @ApiProperty({ enum: ['authorization_code', 'refresh_token'], example: 'authorization_code' })
  @IsString()
  @MaxLength(128)
  grant_type: string;

  @ApiPropertyOptional({ description: 'authorization_code: the code from the redirect' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  code?: string;

  @ApiPropertyOptional({ description: 'authorization_code: the redirect_uri sent to /authorize' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  redirect_uri?: string;

  @ApiPropertyOptional({ description: 'authorization_code: PKCE verifier, 43-128 unreserved characters' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  code_verifier?: string;

  @ApiPropertyOptional({ description: 'refresh_token: the current refresh token (single use, rotated)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'refresh_token: a narrower scope (never wider)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  scope?: string;

  @ApiPropertyOptional({ description: 'RFC 8707 resource; must equal the one authorized' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  resource?: string;
}
