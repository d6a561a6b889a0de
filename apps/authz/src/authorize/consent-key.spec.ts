import type { ClientRecord } from '@app/oauth-store';
import { consentClientKey, redirectTarget } from './consent-key';

const documentClient = { documentHost: 'claude.ai' } as ClientRecord;

describe('consent keys', () => {
  it('keys a registered or configured client by its id alone', () => {
    expect(consentClientKey({ clientId: 'abc', redirectUri: 'https://a.example/cb' })).toBe('abc');
  });

  it('keys a metadata-document client by its id and where the code goes', () => {
    const clientId = 'https://claude.ai/oauth/client';
    const web = consentClientKey({
      clientId,
      redirectUri: 'https://claude.ai/api/cb',
      clientSnapshot: documentClient,
    });
    const other = consentClientKey({
      clientId,
      redirectUri: 'https://evil.example/cb',
      clientSnapshot: documentClient,
    });
    expect(web).toBe('https://claude.ai/oauth/client https://claude.ai');
    expect(other).not.toBe(web);
  });

  it('ignores the port of loopback redirects, not of others', () => {
    expect(redirectTarget('http://127.0.0.1:5000/cb')).toBe('http://127.0.0.1');
    expect(redirectTarget('http://localhost:1/cb')).toBe('http://localhost');
    expect(redirectTarget('https://app.example:8443/cb')).toBe('https://app.example:8443');
    expect(redirectTarget('cursor://anysphere.cursor-mcp/oauth/callback')).toBe(
      'cursor://anysphere.cursor-mcp',
    );
  });
});
