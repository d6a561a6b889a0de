import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 7591 §3.2.1 client information response. */
export class ClientInformationDto {
  @ApiProperty({ example: 'Zf3tq9xRk1w0bq5k5dVZ8g' }) client_id: string;
  @ApiPropertyOptional({ description: 'Confidential clients only; shown once, stored hashed' })
  client_secret?: string;
  @ApiProperty({ example: 1767225600 }) client_id_issued_at: number;
  @ApiPropertyOptional({ example: 0, description: '0 = never expires' }) client_secret_expires_at?: number;
  @ApiProperty({ type: [String] }) redirect_uris: string[];
  @ApiProperty({ example: 'none' }) token_endpoint_auth_method: string;
  @ApiProperty({ type: [String], example: ['authorization_code', 'refresh_token'] }) grant_types: string[];
  @ApiProperty({ type: [String], example: ['code'] }) response_types: string[];
  @ApiPropertyOptional() client_name?: string;
  @ApiPropertyOptional({ enum: ['web', 'native'] }) application_type?: string;
  @ApiProperty({ example: 'mcp:tools:read mcp:tools:execute' }) scope: string;
  @ApiPropertyOptional() client_uri?: string;
  @ApiPropertyOptional() logo_uri?: string;
  @ApiPropertyOptional() tos_uri?: string;
  @ApiPropertyOptional() policy_uri?: string;
  @ApiPropertyOptional({ type: [String] }) contacts?: string[];
  @ApiPropertyOptional() software_id?: string;
  @ApiPropertyOptional() software_version?: string;
}
