import type { PublicUrlSettings } from '@app/config';
import type { ClientRecord, TokenEndpointAuthMethod } from '@app/oauth-store';
import { ALL_MCP_SCOPES, parseScope } from '@app/scopes';
import { hashClientSecret } from '../clients/client-secret';
import { isWeakSecret } from './weak-secret';

const MCP_INSPECTOR_CLIENT_ID = 'mcp-inspector-client';
export const SWAGGER_UI_CLIENT_ID = 'swagger-ui';

const AUTH_METHODS: TokenEndpointAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];

/** A pre-registered public client (PKCE, no secret) allowed every resource scope. */
function publicClient(
  clientId: string,
  clientName: string,
  redirectUris: string[],
  scopes: readonly string[],
): ClientRecord {
  return {
    clientId,
    clientName,
    redirectUris,
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    tokenEndpointAuthMethod: 'none',
    scopes: [...scopes],
    clientIdIssuedAt: 0,
    preRegistered: true,
  };
}

/** The Inspector's callback and debug callback on both loopback spellings (its UI runs on port 6274). */
function inspectorClient(scopes: readonly string[]): ClientRecord {
  const redirectUris = ['localhost', '127.0.0.1'].flatMap((host) => [
    `http://${host}:6274/oauth/callback`,
    `http://${host}:6274/oauth/callback/debug`,
  ]);
  return publicClient(MCP_INSPECTOR_CLIENT_ID, 'MCP Inspector', redirectUris, scopes);
}

/** Swagger UI at the gateway's /docs: its redirect page on PUBLIC_URL and on every alias at the same port. */
function swaggerUiClient(publicUrl: PublicUrlSettings, scopes: readonly string[]): ClientRecord {
  const configured = new URL(publicUrl.publicUrl);
  const path = `${configured.pathname.replace(/\/+$/, '')}/docs/oauth2-redirect.html`;
  const origins = new Set([configured.origin]);
  for (const alias of publicUrl.aliases) {
    const host = alias.includes(':') ? `[${alias}]` : alias;
    origins.add(`${configured.protocol}//${host}${configured.port ? `:${configured.port}` : ''}`);
  }
  const redirectUris = [...origins].map((origin) => `${origin}${path}`);
  return publicClient(SWAGGER_UI_CLIENT_ID, 'Swagger UI (API documentation)', redirectUris, scopes);
}

interface ConfiguredClient {
  client_id?: unknown;
  client_secret?: unknown;
  client_name?: unknown;
  redirect_uris?: unknown;
  scope?: unknown;
  token_endpoint_auth_method?: unknown;
}

function fromConfig(
  raw: ConfiguredClient,
  index: number,
  production: boolean,
  defaultScopes: readonly string[],
): ClientRecord {
  const where = `AUTHZ_CLIENTS[${index}]`;
  if (typeof raw.client_id !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(raw.client_id)) {
    throw new Error(`${where}.client_id must be a printable string`);
  }
  const redirectUris = raw.redirect_uris;
  if (
    !Array.isArray(redirectUris) ||
    redirectUris.length === 0 ||
    !redirectUris.every((u) => typeof u === 'string')
  ) {
    throw new Error(`${where}.redirect_uris must be a non-empty array of strings`);
  }
  // RFC 6749 §3.1.2: absolute, no fragment. Other schemes stay allowed here (native apps, RFC 8252 §7.1).
  if (!redirectUris.every((uri: string) => URL.canParse(uri) && !uri.includes('#'))) {
    throw new Error(`${where}.redirect_uris must be absolute URIs without a fragment`);
  }
  const secret = typeof raw.client_secret === 'string' ? raw.client_secret : undefined;
  if (production && secret !== undefined && isWeakSecret(secret)) {
    throw new Error(`${where}.client_secret: use a random value of at least 32 characters in production`);
  }
  const method = (raw.token_endpoint_auth_method ??
    (secret ? 'client_secret_basic' : 'none')) as TokenEndpointAuthMethod;
  if (!AUTH_METHODS.includes(method) || (method === 'none') !== (secret === undefined)) {
    throw new Error(`${where}: token_endpoint_auth_method and client_secret do not fit together`);
  }
  const scopes = raw.scope === undefined ? [...defaultScopes] : parseScope(String(raw.scope));
  return {
    clientId: raw.client_id,
    clientSecretHash: secret === undefined ? undefined : hashClientSecret(secret),
    clientName: typeof raw.client_name === 'string' ? raw.client_name : raw.client_id,
    redirectUris: redirectUris as string[],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    tokenEndpointAuthMethod: method,
    scopes,
    clientIdIssuedAt: 0,
    preRegistered: true,
  };
}

/** The two default clients plus any from AUTHZ_CLIENTS (a configured client replaces a default of the same id). */
export function loadStaticClients(
  json: string,
  publicUrl: PublicUrlSettings,
  production = false,
  /** What a client configured without `scope` may ask for: every resource's scopes (GATEWAY_RESOURCES_FILE). */
  defaultScopes: readonly string[] = ALL_MCP_SCOPES,
): ClientRecord[] {
  const clients = new Map<string, ClientRecord>();
  for (const client of [inspectorClient(defaultScopes), swaggerUiClient(publicUrl, defaultScopes)])
    clients.set(client.clientId, client);
  if (json.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('AUTHZ_CLIENTS must be a JSON array');
    }
    if (!Array.isArray(parsed)) throw new Error('AUTHZ_CLIENTS must be a JSON array');
    parsed.forEach((raw: ConfiguredClient, index) => {
      const client = fromConfig(raw ?? {}, index, production, defaultScopes);
      clients.set(client.clientId, client);
    });
  }
  return [...clients.values()];
}
