import { randomBytes } from 'node:crypto';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
  type VersionNegotiationOptions,
} from '@modelcontextprotocol/client';
import { actAsUser, codeFrom } from './oauth-user';

/**
 * OAuth state for the official SDK v2 client, in memory; the user is the headless one from oauth-user.ts. The
 * v2 interface matches v1's apart from per-issuer client information, which one issuer makes moot here.
 */
export class HeadlessOAuthProviderV2 implements OAuthClientProvider {
  readonly authorizationUrls: URL[] = [];
  lastState?: string;
  private client?: OAuthClientInformationMixed;
  private storedTokens?: OAuthTokens;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;

  constructor(readonly redirectUrl: string) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'e2e SDK v2 client',
      redirect_uris: [this.redirectUrl],
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
    this.storedTokens = tokens;
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
}

/**
 * What a host built on the v2 SDK does: connect; on UnauthorizedError let the user approve the authorization URL,
 * hand the callback's query to `finishAuth`, and connect again on a fresh transport.
 */
export async function connectV2WithUser(
  mcpUrl: string,
  provider: HeadlessOAuthProviderV2,
  versionNegotiation: VersionNegotiationOptions,
): Promise<Client> {
  const connect = async () => {
    const client = new Client({ name: 'mcp-auth-gateway-e2e-v2', version: '1.0.0' }, { versionNegotiation });
    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
    await client.connect(transport);
    return { client, transport };
  };
  try {
    return (await connect()).client;
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  const authorizationUrl = provider.authorizationUrls.at(-1);
  if (!authorizationUrl) throw new Error('the SDK never asked to open an authorization URL');
  const { redirect } = await actAsUser(authorizationUrl);
  codeFrom(redirect, { state: provider.lastState });
  const finishing = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  await finishing.finishAuth(redirect.searchParams);
  return (await connect()).client;
}
