import { decodeJwt } from 'jose';
import { DocumentServer } from '../apps/authz/test/support/document-server';
import { codeFrom, actAsUser } from './support/oauth-user';
import {
  HeadlessOAuthProvider,
  newClient,
  recordingFetch,
  UnauthorizedError,
  type RecordedExchange,
} from './support/sdk-oauth';
import { startStack, type Stack } from './support/stack';
import { createTestCertificate, trustInThisProcess } from './support/test-certificate';

const REDIRECT = 'http://127.0.0.1:33418/oauth/callback';

/**
 * What Claude Code, VS Code and Codex do: the official SDK client with `clientMetadataUrl`, no registration.
 * The SDK insists on an https document URL, so the test serves it over TLS on 127.0.0.1 (trusted in this
 * process) and authz runs with the loopback test switch.
 */
describe('the MCP SDK client identifies itself with a Client ID Metadata Document', () => {
  let stack: Stack;
  let docs: DocumentServer;
  let untrust: () => void;

  beforeAll(async () => {
    const certificate = createTestCertificate();
    untrust = trustInThisProcess(certificate.cert);
    docs = await new DocumentServer(certificate).start();
    stack = await startStack({ authz: { AUTHZ_CIMD_ALLOW_LOOPBACK: 'true' } });
  });

  afterAll(async () => {
    await stack?.stop();
    await docs?.stop();
    untrust?.();
  });

  it('authorizes with its document URL as client_id, never registers, and calls tools', async () => {
    const clientMetadataUrl = docs.serveDocument('/oauth/client-metadata.json', {
      client_name: 'SDK CIMD client',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    expect(clientMetadataUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    const exchanges: RecordedExchange[] = [];
    const provider = new HeadlessOAuthProvider({ redirectUrl: REDIRECT, clientMetadataUrl });
    const fetchFn = recordingFetch(exchanges);

    const first = newClient(stack.mcpUrl(), provider, fetchFn);
    await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const authorizationUrl = provider.takeAuthorizationUrl();
    expect(authorizationUrl.searchParams.get('client_id')).toBe(clientMetadataUrl);
    const { redirect, consentPage } = await actAsUser(authorizationUrl);
    expect(consentPage?.text).toContain('SDK CIMD client');
    expect(consentPage?.text).toMatch(/Published by 127\.0\.0\.1:\d+/);
    await first.transport.finishAuth(
      codeFrom(redirect, { state: provider.lastState, issuer: stack.baseUrl() }),
    );

    const second = newClient(stack.mcpUrl(), provider, fetchFn);
    await second.client.connect(second.transport);
    try {
      const { tools } = await second.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('calculate');
    } finally {
      await second.client.close();
    }
    expect(exchanges.some((exchange) => exchange.url.endsWith('/register'))).toBe(false);
    expect(decodeJwt(provider.tokens()!.access_token).client_id).toBe(clientMetadataUrl);
    expect(docs.fetchesOf('/oauth/client-metadata.json')).toBe(1);
  });
});
