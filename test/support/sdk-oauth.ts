import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  UnauthorizedError,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { actAsUser, codeFrom, type ConsentDecision } from './oauth-user';

export interface HeadlessProviderOptions {
  /** Where authz sends the user back; nothing needs to listen there, the headless user stops at it. */
  redirectUrl: string;
  /** A pre-registered client instead of dynamic registration (RFC 7591). */
  clientId?: string;
  /** A Client ID Metadata Document URL: the SDK uses it as client_id when the server supports CIMD. */
  clientMetadataUrl?: string;
  /**
   * Keep refresh tokens. The SDK (1.32.2) answers a 403 insufficient_scope by refreshing first when it
   * holds a refresh token, and a refresh can never widen scope (RFC 6749 §6), so a client that wants to
   * be stepped up by a new authorization must not offer one.
   */
  keepRefreshToken?: boolean;
}

/**
 * The OAuth state an MCP client keeps between runs, in memory, plus a record of every authorization URL
 * the SDK asked to open, so a test can act as the user who opens it.
 */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  readonly authorizationUrls: URL[] = [];
  lastState?: string;
  private client?: OAuthClientInformationMixed;
  private storedTokens?: OAuthTokens;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;

  constructor(private readonly options: HeadlessProviderOptions) {
    if (options.clientId) this.client = { client_id: options.clientId };
  }

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadataUrl(): string | undefined {
    return this.options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'e2e SDK client',
      redirect_uris: [this.options.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.storedTokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    const { refresh_token: refreshToken, ...rest } = tokens;
    this.storedTokens =
      this.options.keepRefreshToken === false ? rest : { ...rest, refresh_token: refreshToken };
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrls.push(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no PKCE verifier saved');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client')
      this.client = this.options.clientId ? { client_id: this.options.clientId } : undefined;
    if (scope === 'all' || scope === 'tokens') this.storedTokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  /** Replaces the stored access token, e.g. with one minted elsewhere. */
  useTokens(tokens: OAuthTokens | undefined): void {
    this.storedTokens = tokens;
  }

  takeAuthorizationUrl(): URL {
    const url = this.authorizationUrls.at(-1);
    if (!url) throw new Error('the SDK never asked to open an authorization URL');
    return url;
  }
}

export interface ConnectedClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

export interface RecordedExchange {
  method: string;
  url: string;
  status: number;
  wwwAuthenticate: string | null;
}

/** A fetch that remembers every exchange the SDK makes (discovery, registration, token, /mcp). */
export function recordingFetch(log: RecordedExchange[]): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    log.push({
      method: init?.method ?? 'GET',
      url: String(input),
      status: response.status,
      wwwAuthenticate: response.headers.get('www-authenticate'),
    });
    return response;
  };
}

export function newClient(
  mcpUrl: string,
  provider: OAuthClientProvider,
  fetchFn?: FetchLike,
): ConnectedClient {
  const client = new Client({ name: 'mcp-auth-gateway-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    authProvider: provider,
    fetch: fetchFn,
  });
  return { client, transport, close: () => client.close() };
}

/**
 * What an MCP host does with the SDK: try to connect; on UnauthorizedError open the authorization URL
 * for the user, hand the code to `finishAuth`, and connect again.
 */
export async function connectWithUser(
  mcpUrl: string,
  provider: HeadlessOAuthProvider,
  fetchFn?: FetchLike,
): Promise<ConnectedClient> {
  const first = newClient(mcpUrl, provider, fetchFn);
  try {
    await first.client.connect(first.transport);
    return first;
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  await completeAuthorization(first.transport, provider);
  const second = newClient(mcpUrl, provider, fetchFn);
  await second.client.connect(second.transport);
  return second;
}

/** The user approves the pending authorization URL; the transport redeems the code. */
export async function completeAuthorization(
  transport: StreamableHTTPClientTransport,
  provider: HeadlessOAuthProvider,
  decision: ConsentDecision = 'approve',
): Promise<URL> {
  const authorizationUrl = provider.takeAuthorizationUrl();
  const { redirect } = await actAsUser(authorizationUrl, decision);
  // RFC 9207: the `iss` in the redirect must name the authorization server the client discovered.
  const issuer = provider.discoveryState()?.authorizationServerMetadata?.issuer;
  await transport.finishAuth(codeFrom(redirect, { state: provider.lastState, issuer }));
  return authorizationUrl;
}

export { UnauthorizedError };
