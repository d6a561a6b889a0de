import type { FederatedIdentity } from '@app/oauth-store';
import type { AccessRules } from '../config/federation.config';

export const hasRules = (rules: AccessRules) =>
  rules.emails.length + rules.domains.length + rules.groups.length > 0;

/**
 * Whether a provider identity may sign in: any matching list admits it; no lists admit everyone. Email and
 * domain rules count only a verified address (OpenID Connect Core §5.1 `email_verified`): an unverified one
 * may be any string the user typed at the provider.
 */
export function isAdmitted(identity: FederatedIdentity, rules: AccessRules): boolean {
  if (!hasRules(rules)) return true;
  const email = identity.emailVerified === true ? identity.email : undefined;
  if (email !== undefined) {
    if (rules.emails.includes(email)) return true;
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (rules.domains.includes(domain)) return true;
  }
  return (identity.groups ?? []).some((group) => rules.groups.includes(group));
}
