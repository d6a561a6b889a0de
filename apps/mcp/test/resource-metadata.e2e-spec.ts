import { ALL_MCP_SCOPES } from '@app/scopes';
import { startHarness, type Harness } from './support/mcp-harness';

describe('protected resource metadata (RFC 9728)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(() => harness?.close());

  it('serves the path-suffixed and root forms for the alias used', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const response = await fetch(`${harness.base}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
      expect(await response.json()).toEqual({
        resource: `${harness.base}/mcp`,
        authorization_servers: [harness.base],
        scopes_supported: [...ALL_MCP_SCOPES],
        bearer_methods_supported: ['header'],
        resource_name: expect.any(String),
      });
    }
  });

  it('builds URLs on the forwarded alias, and on PUBLIC_URL for any other host', async () => {
    const viaAlias = await fetch(`${harness.base}/.well-known/oauth-protected-resource/mcp`, {
      headers: { 'X-Forwarded-Host': 'localhost:3002', 'X-Forwarded-Proto': 'http' },
    });
    expect(((await viaAlias.json()) as { resource: string }).resource).toBe('http://localhost:3002/mcp');
    const viaStranger = await fetch(`${harness.base}/.well-known/oauth-protected-resource`, {
      headers: { 'X-Forwarded-Host': 'evil.example' },
    });
    expect(((await viaStranger.json()) as { authorization_servers: string[] }).authorization_servers).toEqual(
      ['http://localhost:3002'],
    );
  });
});
