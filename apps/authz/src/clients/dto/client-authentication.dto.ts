import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The client authentication parameters every authenticated endpoint (/token, /revoke, /introspect) accepts in its
 * body: `none` and client_secret_post (RFC 6749 §2.3.1), or a client assertion for private_key_jwt (RFC 7523 §2.2).
 * HTTP Basic travels in the Authorization header instead.
 */
export class ClientAuthenticationDto {
  // Empty examples: Swagger UI pre-fills these, and its Authorize dialog already says who calls.
  @ApiPropertyOptional({ description: 'Public clients and client_secret_post (RFC 6749 §2.3)', example: '' })
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
