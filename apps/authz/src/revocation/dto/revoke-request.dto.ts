import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * RFC 7009 §2.1 (the same shape serves RFC 7662 introspection), with the client authentication of the token
 * endpoint: Basic, client_secret, or a client assertion (RFC 7523 §2.2) for private_key_jwt clients.
 */
export class TokenReferenceDto {
  @ApiProperty({
    description: 'An access token (JWT) or a refresh token; paste one (the answer is the same for any value)',
    example: 'paste-a-token-here',
  })
  @IsString()
  @MaxLength(8192)
  token: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token_type_hint?: string;

  // Empty examples: Swagger UI pre-fills these, and its Authorize token already says who calls.
  @ApiPropertyOptional({
    description: 'A public client without a bearer token names itself here (RFC 6749 §2.3 `none`)',
    example: '',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_secret_post (or use HTTP Basic)', example: '' })
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
