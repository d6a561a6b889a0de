import type { ClientRecord } from '@app/oauth-store';
import { clientIdentityOf } from '../client-identity';
import type { ClientIdentity } from './client-identity';
import { renderConsentPage } from './consent.page';
import { pageCsp } from './layout';

describe('consent page', () => {
  const identity: ClientIdentity = {
    name: '<script>alert(1)</script>',
    clientId: 'c"1',
    provenance: 'registered',
    redirectHost: 'localhost:6274',
    localhostOnly: false,
  };
  const model = {
    action: 'http://localhost:3002/authorize/decision',
    interactionId: 'abc',
    client: identity,
    scopes: ['mcp:tools:execute', 'mcp:tools:read', 'offline_access'],
    resource: 'http://localhost:3002/mcp',
    subject: 'developer',
    previouslyApproved: false,
  };
  const render = (client: Partial<ClientIdentity>) =>
    renderConsentPage({ ...model, client: { ...identity, ...client } });

  it('escapes every client-supplied value', () => {
    const html = renderConsentPage(model);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('c&quot;1');
    expect(render({ provenance: 'document', documentHost: '<b>x' })).toContain('&lt;b&gt;x');
  });

  it('has the documented form shape and no script', () => {
    const html = renderConsentPage(model);
    expect(html).toContain('<form method="post" action="http://localhost:3002/authorize/decision">');
    expect(html).toContain('<input type="hidden" name="interaction_id" value="abc">');
    expect(html).toContain('name="decision" value="approve"');
    expect(html).toContain('name="decision" value="deny"');
    expect(html).toContain('Run tools on your behalf');
    expect(html).toContain('refresh tokens');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('names the resource being granted, with its description, and escapes both', () => {
    const html = renderConsentPage({
      ...model,
      resource: 'http://localhost:3002/echo/mcp',
      resourceName: 'Echo <server>',
      resourceDescription: 'Says things back & deletes them',
      scopes: ['mcp:tools:execute', 'echo:admin'],
    });
    expect(html).toContain(
      '<p>On <strong>Echo &lt;server&gt;</strong> (Says things back &amp; deletes them): ' +
        '<code>http://localhost:3002/echo/mcp</code></p>',
    );
    expect(html).toContain('<code>echo:admin</code>');
  });

  it('heads a registered client with its redirect host and calls its name unverified', () => {
    const html = render({ name: 'Claude Desktop (official)', redirectHost: 'phish.example' });
    expect(html).toMatch(/<h1>An app at <strong class="redirect-host">phish\.example<\/strong>/);
    expect(html).not.toMatch(/<h1><strong>Claude Desktop/);
    expect(html).toMatch(/Unverified app: it calls itself &ldquo;Claude Desktop \(official\)&rdquo;/);
    expect(html).toContain('<title>Authorize an app at phish.example</title>');
  });

  it('heads a metadata-document client with its name and shows the document host', () => {
    const html = render({
      name: 'Claude',
      provenance: 'document',
      documentHost: 'claude.ai',
      redirectHost: 'claude.ai',
    });
    expect(html).toContain('<h1><strong>Claude</strong> wants to access your MCP server</h1>');
    expect(html).toContain('Published by <strong class="document-host">claude.ai</strong>');
    expect(html).toContain('sent to <strong class="redirect-host">claude.ai</strong>');
    expect(html).not.toContain('Unverified');
  });

  it('marks a configured client as vouched for by the operator', () => {
    const html = render({ name: 'MCP Inspector', provenance: 'configured', localhostOnly: true });
    expect(html).toContain("Configured by this server's operator");
    expect(html).not.toContain('localhost-warning');
  });

  it('warns about a client that only ever redirects to this computer', () => {
    expect(render({ localhostOnly: true })).toContain('id="localhost-warning"');
    expect(render({ provenance: 'document', documentHost: 'a.example', localhostOnly: true })).toContain(
      'id="localhost-warning"',
    );
    expect(render({ localhostOnly: false })).not.toContain('localhost-warning');
  });

  it('names the provider the user signed in with and offers to sign out', () => {
    const html = renderConsentPage({
      ...model,
      provider: 'Corp <SSO>',
      logoutAction: 'http://localhost:3002/logout',
    });
    expect(html).toContain('via <strong>Corp &lt;SSO&gt;</strong>');
    expect(html).toContain('<form method="post" action="http://localhost:3002/logout">');
    expect(renderConsentPage(model)).not.toContain('/logout');
  });

  it('lets forms post only to itself and the redirect origin, and forbids framing', () => {
    const csp = pageCsp(['http://localhost:6274']);
    expect(csp).toContain("form-action 'self' http://localhost:6274");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
  });
});

describe('client identity', () => {
  const client = (extra: Partial<ClientRecord>): ClientRecord => ({
    clientId: 'id',
    clientName: 'App',
    redirectUris: ['http://127.0.0.1/cb', 'http://localhost:9/cb'],
    grantTypes: ['authorization_code'],
    responseTypes: ['code'],
    tokenEndpointAuthMethod: 'none',
    scopes: [],
    clientIdIssuedAt: 0,
    ...extra,
  });

  it('tells configured, registered and document clients apart', () => {
    expect(clientIdentityOf(client({ preRegistered: true }), 'http://127.0.0.1/cb').provenance).toBe(
      'configured',
    );
    expect(clientIdentityOf(client({}), 'http://127.0.0.1/cb').provenance).toBe('registered');
    expect(clientIdentityOf(client({ documentHost: 'a.example' }), 'http://127.0.0.1/cb').provenance).toBe(
      'document',
    );
  });

  it('knows localhost-only clients, and names app schemes with their scheme', () => {
    expect(clientIdentityOf(client({}), 'http://127.0.0.1:5/cb')).toMatchObject({
      localhostOnly: true,
      redirectHost: '127.0.0.1:5',
    });
    const cursor = client({
      redirectUris: ['cursor://anysphere.cursor-mcp/oauth/callback', 'http://127.0.0.1/cb'],
    });
    expect(clientIdentityOf(cursor, 'cursor://anysphere.cursor-mcp/oauth/callback')).toMatchObject({
      localhostOnly: false,
      redirectHost: 'cursor://anysphere.cursor-mcp',
    });
  });
});
