import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * RFC 7009 §2.1 (the same shape serves RFC 7662 introspection), with the client authentication of the token
 * endpoint: Basic, client_secret, or a client assertion (RFC 7523 §2.2) for private_key_jwt clients.
 */
export class TokenReferenceDto {
  @ApiProperty({ description: 'An access token (JWT) or a refresh token' })
  @IsString()
  @MaxLength(8192)
  token: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token_type_hint?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  client_secret?: string;

  @ApiPropertyOptional({
    description: 'private_key_jwt (RFC 7523 §2.2)',
    example: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  client_assertion_type?: string;

  @ApiPropertyOptional({
    description: 'private_key_jwt: a JWT signed with a key from the client metadata document',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  client_assertion?: string;
}
