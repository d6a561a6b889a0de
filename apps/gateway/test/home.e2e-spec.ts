import { startGateway, type GatewayUnderTest } from './support/gateway-harness';

/** `GET /` on the gateway: where a person who opens the bare URL finds the MCP endpoint and the docs. */
describe('gateway home page', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw?.close());

  it('answers a browser with a small HTML page linking the MCP endpoint and Swagger', async () => {
    const response = await fetch(`http://127.0.0.1:${gw.port}/`, {
      headers: { Accept: 'text/html,*/*;q=0.8' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    for (const href of ['/mcp', '/docs/', '/.well-known/oauth-protected-resource/mcp']) {
      expect(html).toContain(`href="${href}"`);
    }
    // Served by the gateway itself: nothing reached an upstream.
    expect(gw.authz.seen).toHaveLength(0);
    expect(gw.mcp.seen).toHaveLength(0);
  });

  it('answers an API client that asks for JSON with the same links', async () => {
    const response = await fetch(`http://127.0.0.1:${gw.port}/`, { headers: { Accept: 'application/json' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('vary')).toContain('Accept');
    const body = (await response.json()) as { links: Record<string, { href: string }> };
    expect(body.links.mcp.href).toBe('/mcp');
    expect(body.links.docs.href).toBe('/docs/');
  });

  it('keeps every other unknown path a 404', async () => {
    expect((await fetch(`http://127.0.0.1:${gw.port}/index.html`)).status).toBe(404);
  });
});
