import { modernRequest } from '../../apps/mcp/test/support/modern-request';
import type { PublicClient } from './gateway-oauth';

/**
 * The token endpoint of one authz instance or another, each asked directly under one public host
 * (X-Forwarded-Host, as the gateway sends it), so every instance answers as the same issuer.
 */
export class InstanceTokenEndpoint {
  constructor(
    private readonly publicHost: string,
    private readonly client: PublicClient,
  ) {}

  post(instance: string, values: Record<string, string>): Promise<Response> {
    return fetch(`${instance}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-Host': this.publicHost },
      body: new URLSearchParams(values).toString(),
    });
  }

  redeem(instance: string, code: string, verifier: string): Promise<Response> {
    return this.post(instance, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: this.client.redirectUri,
      client_id: this.client.clientId,
    });
  }

  refresh(instance: string, refreshToken: string): Promise<Response> {
    return this.post(instance, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.client.clientId,
    });
  }
}

/**
 * A 2026-07-28 tools/call (no session: any instance may answer) at `url`, through the gateway or straight to an
 * mcp instance under the public host the token was issued for; its status and body.
 */
export async function callTool(
  url: string,
  publicHost: string,
  token: string,
  tool: { name: string; arguments: Record<string, unknown> },
  id: number,
): Promise<{ status: number; text: string }> {
  const { body, headers } = modernRequest('tools/call', tool, id);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: `Bearer ${token}`,
      'X-Forwarded-Host': publicHost,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
