import { documentHostProblem } from './document-host-policy';

describe('metadata document host policy', () => {
  it('allows every host when no list is set', () => {
    expect(documentHostProblem('claude.ai', { allowedHosts: [], deniedHosts: [] })).toBeUndefined();
  });

  it('allows only listed hosts and subdomains of *.patterns', () => {
    const policy = { allowedHosts: ['claude.ai', '*.openai.com'], deniedHosts: [] };
    expect(documentHostProblem('claude.ai', policy)).toBeUndefined();
    expect(documentHostProblem('Chat.OpenAI.com', policy)).toBeUndefined();
    expect(documentHostProblem('openai.com', policy)).toMatch(/not among the hosts/);
    expect(documentHostProblem('evilclaude.ai', policy)).toMatch(/not among the hosts/);
    expect(documentHostProblem('claude.ai.evil.example', policy)).toMatch(/not among the hosts/);
  });

  it('refuses denied hosts even when they are also allowed', () => {
    const policy = { allowedHosts: ['*.example.com'], deniedHosts: ['bad.example.com'] };
    expect(documentHostProblem('bad.example.com', policy)).toMatch(/refused by this server's policy/);
    expect(documentHostProblem('good.example.com', policy)).toBeUndefined();
  });
});
