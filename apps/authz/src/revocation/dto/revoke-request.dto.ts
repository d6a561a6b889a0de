import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ClientAuthenticationDto } from '../../clients/dto/client-authentication.dto';

/**
 * RFC 7009 §2.1 (the same shape serves RFC 7662 introspection), with the client authentication of the token
 * endpoint: Basic, client_secret, or a client assertion (RFC 7523 §2.2) for private_key_jwt clients.
 */
export class TokenReferenceDto extends ClientAuthenticationDto {
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
}
