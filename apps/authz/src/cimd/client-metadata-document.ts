import type { ClientRecord, PublicJwks, TokenEndpointAuthMethod } from '@app/oauth-store';
import { parseScope } from '@app/scopes';
import { redirectUriProblem } from '../authorize/redirect-uri';
import { DISPLAYABLE_TEXT } from '../common/displayable-text';
import { BUNDLED_RESOURCES, type ResourceCatalog } from '../common/resource-catalog';

/** Why a fetched document cannot describe a client; the message is shown to the user and the client. */
export class InvalidMetadataDocumentError extends Error {}

const fail = (message: string): never => {
  throw new InvalidMetadataDocumentError(message);
};

/** RFC 7517 §6.3, §6.4: members that only a private or symmetric key has. */
const PRIVATE_KEY_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['none', 'private_key_jwt'];

function stringList(value: unknown, name: string, max: number): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > max)
    return fail(`${name} must be a list of 1 to ${max} strings`);
  if (!value.every((item) => typeof item === 'string')) return fail(`${name} must contain only strings`);
  return [...new Set(value as string[])];
}

function publicJwks(value: unknown): PublicJwks {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 10)
    return fail('jwks must be a JSON Web Key Set with 1 to 10 keys');
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || typeof (key as { kty?: unknown }).kty !== 'string')
      return fail('every key in jwks needs a kty');
    // CIMD §4.1: only public keys may be published.
    if (PRIVATE_KEY_MEMBERS.some((member) => member in key))
      return fail('jwks must contain public keys only, never private or symmetric key material');
  }
  return { keys: keys as Record<string, unknown>[] };
}

function authentication(
  doc: Record<string, unknown>,
): Pick<ClientRecord, 'tokenEndpointAuthMethod' | 'jwks' | 'jwksUri'> {
  const method = doc.token_endpoint_auth_method ?? 'none';
  // CIMD §4.1: there is no way to agree on a shared secret, so only key-based methods (or none) exist.
  if (!AUTH_METHODS.includes(method as TokenEndpointAuthMethod))
    return fail('token_endpoint_auth_method must be none or private_key_jwt (no shared secrets)');
  if (method === 'none') return { tokenEndpointAuthMethod: 'none' };
  if ((doc.jwks === undefined) === (doc.jwks_uri === undefined))
    return fail('private_key_jwt needs exactly one of jwks and jwks_uri');
  if (doc.jwks !== undefined)
    return { tokenEndpointAuthMethod: 'private_key_jwt', jwks: publicJwks(doc.jwks) };
  if (typeof doc.jwks_uri !== 'string' || !/^https?:\/\//i.test(doc.jwks_uri) || doc.jwks_uri.length > 2048)
    return fail('jwks_uri must be an https URL');
  return { tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: doc.jwks_uri };
}

/**
 * The client a Client ID Metadata Document describes (draft-ietf-oauth-client-id-metadata-document §4; RFC 7591
 * §2 field names). Required: client_id equal to the URL it was fetched from (plain string comparison),
 * client_name, redirect_uris; no client secret. Unknown fields are ignored, as in registration.
 */
export function clientFromMetadataDocument(
  url: string,
  document: unknown,
  resources: ResourceCatalog = BUNDLED_RESOURCES,
): ClientRecord {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return fail('it must be a JSON object');
  const doc = document as Record<string, unknown>;
  if (doc.client_id !== url) return fail('its client_id does not equal the URL it was fetched from');
  if (doc.client_secret !== undefined || doc.client_secret_expires_at !== undefined)
    return fail('it must not contain a client_secret (CIMD §4.1)');
  const name = doc.client_name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200 || !DISPLAYABLE_TEXT.test(name))
    return fail('client_name must be a displayable string of at most 200 characters');
  const redirectUris = stringList(doc.redirect_uris, 'redirect_uris', 20);
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) fail(`redirect_uri ${JSON.stringify(uri.slice(0, 100))} ${problem}`);
  }
  const grantTypes =
    doc.grant_types === undefined ? ['authorization_code'] : stringList(doc.grant_types, 'grant_types', 10);
  const responseTypes =
    doc.response_types === undefined ? ['code'] : stringList(doc.response_types, 'response_types', 10);
  if (!grantTypes.includes('authorization_code') || !responseTypes.includes('code'))
    return fail('this server supports the authorization_code grant (response type code) only');
  const scopes =
    typeof doc.scope === 'string'
      ? parseScope(doc.scope).filter((scope) => resources.isGrantable(scope))
      : [];
  return {
    clientId: url,
    clientName: name.trim(),
    redirectUris,
    // Grant types this server does not implement are ignored rather than fatal: the client may use them elsewhere.
    grantTypes: grantTypes.filter((type) => type === 'authorization_code' || type === 'refresh_token'),
    responseTypes: ['code'],
    ...authentication(doc),
    scopes: scopes.length > 0 ? scopes : [...resources.resourceScopes],
    clientIdIssuedAt: 0,
    documentHost: new URL(url).host,
  };
}
