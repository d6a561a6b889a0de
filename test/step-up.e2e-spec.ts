import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { decodeJwt } from 'jose';
import { MCP_SCOPES } from '@app/scopes';
import { parseBearerChallenge } from './support/mcp-http';
import { actAsUser, codeFrom } from './support/oauth-user';
import {
  completeAuthorization,
  HeadlessOAuthProvider,
  newClient,
  recordingFetch,
  UnauthorizedError,
  type RecordedExchange,
} from './support/sdk-oauth';
import { startStack, type Stack } from './support/stack';

const scopesOf = (accessToken: string): string[] => String(decodeJwt(accessToken).scope ?? '').split(' ');

/**
 * MCP 2025-11-25 step-up authorization: a token that may list tools but not run them gets
 * 403 insufficient_scope on tools/call, and the SDK client re-authorizes with the scope the challenge names.
 */
describe('step-up authorization through the gateway', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(() => stack?.stop());

  // The SDK registers a dynamic client with the scope of its first request; authz treats that as the
  // client's default, not a ceiling, so the same client can step up later.
  it.each([
    [
      'the pre-registered mcp-inspector-client',
      'mcp-inspector-client',
      'http://localhost:6274/oauth/callback',
    ],
    ['a client registered with read-only scope', undefined, 'http://127.0.0.1:45999/oauth/callback'],
  ])(
    'answers tools/call with 403 insufficient_scope, and %s re-authorizes with the wider scope',
    async (_kind, clientId, redirectUrl) => {
      const mcpUrl = stack.mcpUrl();
      const exchanges: RecordedExchange[] = [];
      const fetchFn = recordingFetch(exchanges);
      // Least privilege first: a token for read-only tools.
      const provider = new HeadlessOAuthProvider({ clientId, redirectUrl, keepRefreshToken: false });
      expect(await auth(provider, { serverUrl: mcpUrl, scope: MCP_SCOPES.toolsRead, fetchFn })).toBe(
        'REDIRECT',
      );
      const { redirect } = await actAsUser(provider.takeAuthorizationUrl());
      const code = codeFrom(redirect, { state: provider.lastState, issuer: stack.baseUrl() });
      expect(await auth(provider, { serverUrl: mcpUrl, authorizationCode: code, fetchFn })).toBe(
        'AUTHORIZED',
      );
      expect(scopesOf(provider.tokens()!.access_token)).toEqual([MCP_SCOPES.toolsRead]);

      const connected = newClient(mcpUrl, provider, fetchFn);
      try {
        await connected.client.connect(connected.transport);
        const { tools } = await connected.client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('calculate');

        // The narrow token may not run a tool: 403 with the scope needed, then a new authorization request.
        const call = () =>
          connected.client.callTool({ name: 'calculate', arguments: { expression: '6 * 7' } });
        await expect(call()).rejects.toBeInstanceOf(UnauthorizedError);
        const refused = exchanges.find((e) => e.url === mcpUrl && e.status === 403);
        expect(refused).toBeDefined();
        const challenge = parseBearerChallenge(refused!.wwwAuthenticate ?? undefined);
        expect(challenge.error).toBe('insufficient_scope');
        expect(challenge.scope.split(' ')).toEqual(
          expect.arrayContaining([MCP_SCOPES.toolsRead, MCP_SCOPES.toolsExecute]),
        );
        expect(challenge.resource_metadata).toBe(
          `${stack.baseUrl()}/.well-known/oauth-protected-resource/mcp`,
        );
        expect(provider.authorizationUrls).toHaveLength(2);
        const stepUpUrl = await completeAuthorization(connected.transport, provider);
        expect(stepUpUrl.searchParams.get('scope')?.split(' ')).toContain(MCP_SCOPES.toolsExecute);

        // Same client, same session: the wider token now runs the tool.
        expect(scopesOf(provider.tokens()!.access_token)).toEqual(
          expect.arrayContaining([MCP_SCOPES.toolsRead, MCP_SCOPES.toolsExecute]),
        );
        const result = await call();
        expect(result.isError ?? false).toBe(false);
        expect(JSON.stringify(result.content)).toContain('42');
      } finally {
        await connected.close();
      }
    },
  );
});
