import { SUPPORTED_CODE_CHALLENGE_METHODS } from '@app/pkce';
import { CLIENT_ASSERTION_ALGORITHMS } from '../clients/private-key-jwt.verifier';

const SECRET_METHODS = ['client_secret_basic', 'client_secret_post'];

/**
 * RFC 8414 §2 metadata; every URL is built on the issuer the client discovered with (§3.3). With Client ID
 * Metadata Documents on, `private_key_jwt` joins the token endpoint's methods (only document clients use it, and
 * `none` stays first: most clients are public).
 */
export function authorizationServerMetadata(
  issuer: string,
  options: { clientIdMetadataDocuments: boolean; scopes: readonly string[] },
) {
  const cimd = options.clientIdMetadataDocuments;
  // Only metadata-document clients use private_key_jwt (RFC 7523), so it is offered only with documents on.
  const assertion = cimd ? ['private_key_jwt'] : [];
  const algorithms = [...CLIENT_ASSERTION_ALGORITHMS];
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    // offline_access is this server's alone: never in the MCP server's resource metadata (SEP-2207).
    scopes_supported: [...options.scopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', ...SECRET_METHODS, ...assertion],
    // RFC 8414 §2: the signing algorithms are required wherever private_key_jwt is listed.
    ...(cimd ? { token_endpoint_auth_signing_alg_values_supported: algorithms } : {}),
    // The same client authentication as at the token endpoint (RFC 7009 §2.1, RFC 7662 §2.1); introspection
    // needs an authenticated client, so not `none`.
    revocation_endpoint_auth_methods_supported: ['none', ...SECRET_METHODS, ...assertion],
    ...(cimd ? { revocation_endpoint_auth_signing_alg_values_supported: algorithms } : {}),
    introspection_endpoint_auth_methods_supported: [...SECRET_METHODS, ...assertion],
    ...(cimd ? { introspection_endpoint_auth_signing_alg_values_supported: algorithms } : {}),
    code_challenge_methods_supported: [...SUPPORTED_CODE_CHALLENGE_METHODS],
    // RFC 9207 §3: clients can rely on `iss` in every authorization response.
    authorization_response_iss_parameter_supported: true,
    // draft-ietf-oauth-client-id-metadata-document §6.
    client_id_metadata_document_supported: cimd,
    service_documentation: `${issuer}/docs`,
  };
}

export type AuthorizationServerMetadata = ReturnType<typeof authorizationServerMetadata>;
