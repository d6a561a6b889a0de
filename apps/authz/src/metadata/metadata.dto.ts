import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Swagger shape of the RFC 8414 document. */
export class AuthorizationServerMetadataDto {
  @ApiProperty({ example: 'http://localhost:3002' }) issuer: string;
  @ApiProperty({ example: 'http://localhost:3002/authorize' }) authorization_endpoint: string;
  @ApiProperty({ example: 'http://localhost:3002/token' }) token_endpoint: string;
  @ApiProperty({ example: 'http://localhost:3002/.well-known/jwks.json' }) jwks_uri: string;
  @ApiProperty({ example: 'http://localhost:3002/register' }) registration_endpoint: string;
  @ApiProperty({ example: 'http://localhost:3002/revoke' }) revocation_endpoint: string;
  @ApiProperty({ example: 'http://localhost:3002/introspect' }) introspection_endpoint: string;
  @ApiProperty({ type: [String] }) scopes_supported: string[];
  @ApiProperty({ type: [String], example: ['code'] }) response_types_supported: string[];
  @ApiProperty({ type: [String], example: ['query'] }) response_modes_supported: string[];
  @ApiProperty({ type: [String], example: ['authorization_code', 'refresh_token'] })
  grant_types_supported: string[];
  @ApiProperty({
    type: [String],
    example: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  })
  token_endpoint_auth_methods_supported: string[];
  @ApiPropertyOptional({ type: [String], description: 'With private_key_jwt (client metadata documents)' })
  token_endpoint_auth_signing_alg_values_supported?: string[];
  @ApiProperty({ type: [String] }) revocation_endpoint_auth_methods_supported: string[];
  @ApiPropertyOptional({ type: [String], description: 'With private_key_jwt (client metadata documents)' })
  revocation_endpoint_auth_signing_alg_values_supported?: string[];
  @ApiProperty({ type: [String] }) introspection_endpoint_auth_methods_supported: string[];
  @ApiPropertyOptional({ type: [String], description: 'With private_key_jwt (client metadata documents)' })
  introspection_endpoint_auth_signing_alg_values_supported?: string[];
  @ApiProperty({ type: [String], example: ['S256'] }) code_challenge_methods_supported: string[];
  @ApiProperty({ example: true }) authorization_response_iss_parameter_supported: boolean;
  @ApiProperty({ example: true, description: 'Client ID Metadata Documents: an https URL as client_id' })
  client_id_metadata_document_supported: boolean;
  @ApiProperty({ example: 'http://localhost:3002/docs' }) service_documentation: string;
}
