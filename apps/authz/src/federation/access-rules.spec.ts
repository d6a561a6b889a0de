import type { FederatedIdentity } from '@app/oauth-store';
import { isAdmitted } from './access-rules';

const none = { emails: [], domains: [], groups: [] };
const person = (overrides: Partial<FederatedIdentity> = {}): FederatedIdentity => ({
  provider: 'corp',
  email: 'alice@corp.example',
  emailVerified: true,
  ...overrides,
});

describe('access rules', () => {
  it('admit everyone the provider authenticated when no list is set', () => {
    expect(isAdmitted(person({ email: undefined }), none)).toBe(true);
  });

  it('admit a verified email on the email list, and no other', () => {
    const rules = { ...none, emails: ['alice@corp.example'] };
    expect(isAdmitted(person(), rules)).toBe(true);
    expect(isAdmitted(person({ email: 'bob@corp.example' }), rules)).toBe(false);
  });

  it('admit a verified address in an allowed domain, not a look-alike or sub-domain', () => {
    const rules = { ...none, domains: ['corp.example'] };
    expect(isAdmitted(person(), rules)).toBe(true);
    expect(isAdmitted(person({ email: 'eve@evilcorp.example' }), rules)).toBe(false);
    expect(isAdmitted(person({ email: 'eve@mail.corp.example' }), rules)).toBe(false);
    expect(isAdmitted(person({ email: 'eve@corp.example@evil.example' }), rules)).toBe(false);
  });

  it('never count an unverified address, for emails or domains', () => {
    const unverified = person({ emailVerified: false });
    expect(isAdmitted(unverified, { ...none, emails: ['alice@corp.example'] })).toBe(false);
    expect(isAdmitted(unverified, { ...none, domains: ['corp.example'] })).toBe(false);
    expect(isAdmitted(person({ emailVerified: undefined }), { ...none, domains: ['corp.example'] })).toBe(
      false,
    );
  });

  it('admit a member of an allowed group, whatever the email', () => {
    const rules = { ...none, domains: ['corp.example'], groups: ['mcp-users'] };
    expect(isAdmitted(person({ email: 'x@other.example', groups: ['staff', 'mcp-users'] }), rules)).toBe(
      true,
    );
    expect(isAdmitted(person({ email: 'x@other.example', groups: ['staff'] }), rules)).toBe(false);
    expect(isAdmitted(person({ email: undefined, groups: undefined }), rules)).toBe(false);
  });
});
