import type { FederatedIdentity } from '@app/oauth-store';

/**
 * The subject of tokens issued to a federated user: `<provider id>|<provider subject>`. Stable for as long as the
 * provider keeps its `sub` (OpenID Connect Core §2: unique and never reassigned within the issuer), distinct per
 * provider, and never equal to a local user name (those cannot contain `|`).
 */
export const federatedSubject = (provider: string, sub: string) => `${provider}|${sub}`;

/** Claims read from a provider: its ID token and userinfo (OIDC), or its user API (GitHub). */
export interface ProviderClaims {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  preferred_username?: unknown;
  [claim: string]: unknown;
}

const MAX_GROUPS = 100;
const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

/** What is kept of a provider identity: bounded, typed, and `emailVerified` true only when the provider said so. */
export function identityFrom(
  provider: string,
  claims: ProviderClaims,
  groupsClaim: string,
): FederatedIdentity {
  const rawGroups = claims[groupsClaim];
  const list = typeof rawGroups === 'string' ? [rawGroups] : Array.isArray(rawGroups) ? rawGroups : [];
  const groups = list
    .map((group) => text(group, 256))
    .filter((group): group is string => group !== undefined)
    .slice(0, MAX_GROUPS);
  const email = text(claims.email, 320)?.toLowerCase();
  return {
    provider,
    email,
    emailVerified: email ? claims.email_verified === true || claims.email_verified === 'true' : undefined,
    name: text(claims.name, 256) ?? text(claims.preferred_username, 256),
    groups: groups.length > 0 ? groups : undefined,
  };
}

/**
 * Access-token claims of a federated grant. Names (documented in the README): `idp` (provider id), `email`,
 * `email_verified`, `name` (OpenID Connect Core §5.1 names) and `groups` (RFC 9068 §2.2.3.1 / RFC 7643 §4.1.2).
 */
export function identityClaims(identity: FederatedIdentity | undefined): Record<string, unknown> {
  if (!identity) return {};
  const claims: Record<string, unknown> = { idp: identity.provider };
  if (identity.email !== undefined) {
    claims.email = identity.email;
    claims.email_verified = identity.emailVerified === true;
  }
  if (identity.name !== undefined) claims.name = identity.name;
  if (identity.groups !== undefined) claims.groups = identity.groups;
  return claims;
}
