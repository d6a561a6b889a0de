import { ALL_MCP_SCOPES } from '@app/scopes';
import { SUPPORTED_CODE_CHALLENGE_METHODS } from '@app/pkce';

const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

/** RFC 8414 §2 metadata; every URL is built on the issuer the client discovered with (§3.3). */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    scopes_supported: [...ALL_MCP_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: [...SUPPORTED_CODE_CHALLENGE_METHODS],
    // RFC 9207 §3: clients can rely on `iss` in every authorization response.
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/docs`,
  };
}

export type AuthorizationServerMetadata = ReturnType<typeof authorizationServerMetadata>;
