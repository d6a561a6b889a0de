import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** RFC 7009 §2.1 (the same shape serves RFC 7662 introspection). */
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
}
