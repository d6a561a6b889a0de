import { renderConsentPage } from './consent.page';
import { pageCsp } from './layout';

describe('consent page', () => {
  const model = {
    action: 'http://localhost:3002/authorize/decision',
    interactionId: 'abc',
    clientName: '<script>alert(1)</script>',
    clientId: 'c"1',
    redirectHost: 'localhost:6274',
    scopes: ['mcp:tools:execute', 'mcp:tools:read'],
    resource: 'http://localhost:3002/mcp',
    subject: 'developer',
    previouslyApproved: false,
  };

  it('escapes every client-supplied value', () => {
    const html = renderConsentPage(model);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('c&quot;1');
  });

  it('has the documented form shape and no script', () => {
    const html = renderConsentPage(model);
    expect(html).toContain('<form method="post" action="http://localhost:3002/authorize/decision">');
    expect(html).toContain('<input type="hidden" name="interaction_id" value="abc">');
    expect(html).toContain('name="decision" value="approve"');
    expect(html).toContain('name="decision" value="deny"');
    expect(html).toContain('Run tools on your behalf');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
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
