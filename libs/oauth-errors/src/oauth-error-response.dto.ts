import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Swagger shape of every error body (RFC 6749 §5.2). */
export class OAuthErrorResponseDto {
  @ApiProperty({
    description: 'Error code (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2, RFC 7009 §2.2.1)',
    example: 'invalid_request',
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'invalid_target',
      'access_denied',
      'unsupported_response_type',
      'unsupported_token_type',
      'invalid_redirect_uri',
      'invalid_client_metadata',
      'invalid_token',
      'not_found',
      'temporarily_unavailable',
      'server_error',
    ],
  })
  error: string;

  @ApiPropertyOptional({
    description: 'Human-readable explanation',
    example: 'Invalid or missing parameter: code',
  })
  error_description?: string;
}
