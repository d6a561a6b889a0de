import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 7662 §2.2. */
export class IntrospectionResponseDto {
  @ApiProperty() active: boolean;
  @ApiPropertyOptional({ example: 'mcp:tools:read' }) scope?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional({ enum: ['Bearer', 'refresh_token'] }) token_type?: string;
  @ApiPropertyOptional() exp?: number;
  @ApiPropertyOptional() iat?: number;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional({ example: 'http://localhost:3002/mcp' }) aud?: string;
  @ApiPropertyOptional({ example: 'http://localhost:3002' }) iss?: string;
  @ApiPropertyOptional() jti?: string;
}
