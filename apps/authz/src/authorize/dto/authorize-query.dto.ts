import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** Swagger description of GET /authorize; validation is hand-written (most errors must redirect, not 400). */
export const ApiAuthorizeQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'client_id',
      required: true,
      example: 'mcp-inspector-client',
      description: 'A registered client_id, or the https URL of a Client ID Metadata Document',
    }),
    ApiQuery({ name: 'response_type', required: true, enum: ['code'] }),
    ApiQuery({
      name: 'redirect_uri',
      required: false,
      example: 'http://localhost:6274/oauth/callback',
      description: 'Exactly as registered; loopback redirects match on any port (RFC 8252 §7.3)',
    }),
    ApiQuery({
      name: 'code_challenge',
      required: true,
      description: 'BASE64URL(SHA256(code_verifier)), RFC 7636',
      example: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    }),
    ApiQuery({ name: 'code_challenge_method', required: true, enum: ['S256'] }),
    ApiQuery({ name: 'scope', required: false, example: 'mcp:tools:read mcp:tools:execute' }),
    ApiQuery({
      name: 'resource',
      required: false,
      example: 'http://localhost:3002/mcp',
      description: 'RFC 8707 resource indicator: the MCP server; binds the token audience',
    }),
    ApiQuery({ name: 'state', required: false, description: 'Returned unchanged in the redirect' }),
  );
