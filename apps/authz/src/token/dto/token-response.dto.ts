import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TokenResponseDto {
  @ApiProperty({ description: 'RS256 JWT (RFC 9068), typ at+jwt', example: 'eyJhbGciOiJSUzI1NiIs...' })
  access_token: string;

  @ApiProperty({ example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ example: 3600 })
  expires_in: number;

  @ApiProperty({ example: 'mcp:tools:read mcp:tools:execute' })
  scope: string;

  @ApiPropertyOptional({ description: 'Single use: each refresh returns a new one' })
  refresh_token?: string;

  @ApiProperty({ description: 'kid of the signing key in the JWKS' })
  key_id: string;

  @ApiProperty({ example: 'RS256' })
  algorithm: string;
}
