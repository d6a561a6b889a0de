import { renderLoginPage } from './login.page';

describe('sign-in page', () => {
  const base = { action: 'http://gw/login', interactionId: 'abc', clientName: 'App' };

  it('offers each provider as its own form posting the interaction and the provider id', () => {
    const html = renderLoginPage({
      ...base,
      providers: [
        { id: 'corp', name: 'Corp <SSO>' },
        { id: 'gh', name: 'GitHub' },
      ],
      providerAction: 'http://gw/login/provider',
      localUsers: false,
    });
    expect(html.match(/<form method="post" action="http:\/\/gw\/login\/provider">/g)).toHaveLength(2);
    expect(html).toContain('name="provider" value="corp"');
    expect(html).toContain('Continue with Corp &lt;SSO&gt;');
    expect(html).not.toContain('name="password"');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('keeps the password form when local users exist, and when no provider is configured', () => {
    const withBoth = renderLoginPage({
      ...base,
      providers: [{ id: 'corp', name: 'Corp' }],
      providerAction: 'http://gw/login/provider',
      localUsers: true,
    });
    expect(withBoth).toContain('Or with a local account');
    expect(withBoth).toContain('name="password"');
    expect(renderLoginPage(base)).toContain('<form method="post" action="http://gw/login">');
  });
});
