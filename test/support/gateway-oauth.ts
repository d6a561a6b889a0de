import { actAsUser, codeFrom } from './oauth-user';
import { pkcePair, randomState } from './pkce';

export interface TokenSet {
  access_token: string;
  refresh_token: string;
}

export interface PublicClient {
  clientId: string;
  redirectUri: string;
}

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

/**
 * A public OAuth client talking to the stack's one public origin, the way an MCP client does, with raw HTTP so a
 * test sees every status: dynamic registration, the code flow with PKCE (the user approves headlessly), refresh
 * and revocation.
 */
export class GatewayOAuthClient {
  private constructor(
    private readonly base: string,
    readonly client: PublicClient,
  ) {}

  static async register(base: string, redirectUri: string): Promise<GatewayOAuthClient> {
    const response = await fetch(`${base}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    });
    if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
    const { client_id: clientId } = (await response.json()) as { client_id: string };
    return new GatewayOAuthClient(base, { clientId, redirectUri });
  }

  /**
   * An authorization code, and the text of the consent page the user approved it on; for `/mcp` unless another
   * protected resource (RFC 8707) is named, with the client's default scopes unless `scope` is given.
   */
  async authorize(
    options: { resource?: string; scope?: string } = {},
  ): Promise<{ code: string; verifier: string; consentText?: string }> {
    const { verifier, challenge } = pkcePair();
    const state = randomState();
    const url = new URL(`${this.base}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.client.clientId,
      redirect_uri: this.client.redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      resource: options.resource ?? `${this.base}/mcp`,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
    }).toString();
    const { redirect, consentPage } = await actAsUser(url);
    return { code: codeFrom(redirect, { state }), verifier, consentText: consentPage?.text };
  }

  redeem(code: string, verifier: string): Promise<Response> {
    return fetch(
      `${this.base}/token`,
      form({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: this.client.redirectUri,
        client_id: this.client.clientId,
      }),
    );
  }

  async tokens(options: { resource?: string; scope?: string } = {}): Promise<TokenSet> {
    const { code, verifier } = await this.authorize(options);
    const response = await this.redeem(code, verifier);
    if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
    return (await response.json()) as TokenSet;
  }

  refresh(refreshToken: string): Promise<Response> {
    return fetch(
      `${this.base}/token`,
      form({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: this.client.clientId }),
    );
  }

  revoke(token: string): Promise<Response> {
    return fetch(`${this.base}/revoke`, form({ token, client_id: this.client.clientId }));
  }
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'revocation-e2e', version: '1' },
  },
};

/** POST /mcp initialize with the token; the answer as the client got it. */
export function initializeMcp(mcpUrl: string, token: string): Promise<Response> {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(INITIALIZE),
  });
}

/** Polls /mcp with the token until it is refused; the milliseconds that took, from the call. */
export async function refusedAfter(mcpUrl: string, token: string, limitMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await initializeMcp(mcpUrl, token);
    await response.arrayBuffer();
    if (response.status === 401) return performance.now() - started;
    if (response.status !== 200) throw new Error(`/mcp answered ${response.status}`);
    if (performance.now() - started > limitMs) throw new Error(`still accepted after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
