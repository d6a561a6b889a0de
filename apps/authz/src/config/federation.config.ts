import { readFileSync } from 'node:fs';
import type { AuthzEnv } from './authz.env';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../common/asymmetric-algorithms';

/**
 * Who may sign in through an upstream provider. A user passes when any list matches; an empty set of lists
 * admits everyone the provider authenticates. Email and domain rules need the provider's `email_verified`.
 */
export interface AccessRules {
  emails: string[];
  domains: string[];
  groups: string[];
}

export type UpstreamProviderType = 'oidc' | 'github';

export interface UpstreamProviderConfig {
  /** In URLs (`/login/callback/<id>`) and subjects (`<id>|<sub>`). */
  id: string;
  type: UpstreamProviderType;
  /** Shown on the sign-in and consent pages. */
  name: string;
  /** OIDC: the issuer (discovery). GitHub: the web origin (https://github.com, or a GitHub Enterprise host). */
  issuer: string;
  /** GitHub only: the REST API base (https://api.github.com, or `<host>/api/v3`). */
  apiUrl?: string;
  clientId: string;
  /** Absent: a public client (PKCE only, token_endpoint_auth_method `none`). */
  clientSecret?: string;
  scopes: string[];
  /** The ID token / userinfo claim holding groups or roles (`groups`, Entra's `roles`, ...). */
  groupsClaim: string;
  /** The one JWS algorithm accepted on this provider's ID tokens (OpenID Connect Core §2's default: RS256). */
  idTokenAlg: string;
  /** Replaces AUTHZ_ACCESS_RULES for this provider. */
  access?: AccessRules;
}

export interface FederationConfig {
  providers: UpstreamProviderConfig[];
  accessRules: AccessRules;
  /** Provider refresh tokens are kept (encrypted with `tokenKey`) and refreshed with the grant. */
  keepRefreshTokens: boolean;
  tokenKey?: Buffer;
}

const ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const DEFAULT_SCOPES: Record<UpstreamProviderType, string[]> = {
  oidc: ['openid', 'email', 'profile'],
  github: ['read:user', 'user:email'],
};
const GITHUB = { issuer: 'https://github.com', apiUrl: 'https://api.github.com' };

type Raw = Record<string, unknown>;

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0))
    return value as string[];
  throw new Error(`${where} must be an array of strings`);
}

function parseRules(raw: unknown, where: string): AccessRules {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${where} must be an object with emails, domains and/or groups`);
  const unknown = Object.keys(raw).filter((key) => !['emails', 'domains', 'groups'].includes(key));
  if (unknown.length > 0) throw new Error(`${where}: unknown field ${unknown[0]}`);
  const rules = raw as Raw;
  return {
    emails: stringList(rules.emails, `${where}.emails`).map((email) => email.toLowerCase()),
    domains: stringList(rules.domains, `${where}.domains`).map((domain) =>
      domain.toLowerCase().replace(/^@/, ''),
    ),
    groups: stringList(rules.groups, `${where}.groups`),
  };
}

/** https, except outside production (a local test provider); no query or fragment (OIDC Discovery §4). */
function providerUrl(value: unknown, where: string, production: boolean): string {
  if (typeof value !== 'string' || !URL.canParse(value)) throw new Error(`${where} must be an absolute URL`);
  const url = new URL(value);
  if (url.search || url.hash || url.username) throw new Error(`${where} must not have a query or fragment`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production))
    throw new Error(`${where} must use https${production ? ' in production' : ''}`);
  return value.replace(/\/+$/, '');
}

function secretOf(raw: Raw, where: string): string | undefined {
  if (raw.clientSecret !== undefined && raw.clientSecretFile !== undefined)
    throw new Error(`${where}: give clientSecret or clientSecretFile, not both`);
  if (raw.clientSecretFile !== undefined) {
    if (typeof raw.clientSecretFile !== 'string') throw new Error(`${where}.clientSecretFile must be a path`);
    try {
      return readFileSync(raw.clientSecretFile, 'utf8').trim();
    } catch {
      throw new Error(`${where}.clientSecretFile: cannot read ${raw.clientSecretFile}`);
    }
  }
  if (raw.clientSecret !== undefined && (typeof raw.clientSecret !== 'string' || !raw.clientSecret))
    throw new Error(`${where}.clientSecret must be a non-empty string`);
  return raw.clientSecret as string | undefined;
}

function parseProvider(raw: Raw, index: number, production: boolean): UpstreamProviderConfig {
  const where = `AUTHZ_OIDC_PROVIDERS[${index}]`;
  if (typeof raw.id !== 'string' || !ID.test(raw.id))
    throw new Error(`${where}.id must be 1-32 of [a-z0-9_-], starting with a letter or digit`);
  const type = (raw.type ?? 'oidc') as UpstreamProviderType;
  if (type !== 'oidc' && type !== 'github') throw new Error(`${where}.type must be oidc or github`);
  if (typeof raw.clientId !== 'string' || !raw.clientId) throw new Error(`${where}.clientId is required`);
  const clientSecret = secretOf(raw, where);
  if (type === 'github' && !clientSecret) throw new Error(`${where}: GitHub needs a client secret`);
  const scopes = raw.scopes === undefined ? DEFAULT_SCOPES[type] : stringList(raw.scopes, `${where}.scopes`);
  if (type === 'oidc' && !scopes.includes('openid')) throw new Error(`${where}.scopes must include openid`);
  if (type === 'oidc' && raw.issuer === undefined) throw new Error(`${where}.issuer is required`);
  const idTokenAlg = raw.idTokenAlg ?? 'RS256';
  if (typeof idTokenAlg !== 'string' || !ASYMMETRIC_JWS_ALGORITHMS.includes(idTokenAlg))
    throw new Error(`${where}.idTokenAlg must be one of ${ASYMMETRIC_JWS_ALGORITHMS.join(', ')}`);
  if (raw.groupsClaim !== undefined && (typeof raw.groupsClaim !== 'string' || !raw.groupsClaim))
    throw new Error(`${where}.groupsClaim must be a claim name`);
  if (raw.name !== undefined && (typeof raw.name !== 'string' || !raw.name || raw.name.length > 64))
    throw new Error(`${where}.name must be 1-64 characters`);
  return {
    id: raw.id,
    type,
    name: (raw.name as string | undefined) ?? (type === 'github' ? 'GitHub' : raw.id),
    issuer: providerUrl(raw.issuer ?? GITHUB.issuer, `${where}.issuer`, production),
    apiUrl:
      type === 'github' ? providerUrl(raw.apiUrl ?? GITHUB.apiUrl, `${where}.apiUrl`, production) : undefined,
    clientId: raw.clientId,
    clientSecret,
    scopes,
    groupsClaim: (raw.groupsClaim as string | undefined) ?? 'groups',
    idTokenAlg,
    access: raw.access === undefined ? undefined : parseRules(raw.access, `${where}.access`),
  };
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

function providersJson(env: AuthzEnv): string {
  if (env.AUTHZ_OIDC_PROVIDERS && env.AUTHZ_OIDC_PROVIDERS_FILE)
    throw new Error('AUTHZ_OIDC_PROVIDERS_FILE: set it or AUTHZ_OIDC_PROVIDERS, not both');
  if (!env.AUTHZ_OIDC_PROVIDERS_FILE) return env.AUTHZ_OIDC_PROVIDERS;
  try {
    return readFileSync(env.AUTHZ_OIDC_PROVIDERS_FILE, 'utf8');
  } catch {
    throw new Error(`AUTHZ_OIDC_PROVIDERS_FILE: cannot read ${env.AUTHZ_OIDC_PROVIDERS_FILE}`);
  }
}

function tokenKeyOf(env: AuthzEnv): Buffer | undefined {
  if (!env.AUTHZ_OIDC_KEEP_REFRESH_TOKENS) return undefined;
  const key = Buffer.from(env.AUTHZ_OIDC_TOKEN_KEY ?? '', 'base64');
  if (key.length !== 32)
    throw new Error(
      'AUTHZ_OIDC_TOKEN_KEY: required when AUTHZ_OIDC_KEEP_REFRESH_TOKENS=true: 32 random bytes in base64',
    );
  return key;
}

/** AUTHZ_OIDC_PROVIDERS (or its file), AUTHZ_ACCESS_RULES and the refresh-token settings, checked at boot. */
export function loadFederationConfig(env: AuthzEnv, production: boolean): FederationConfig {
  const json = providersJson(env).trim();
  const list = json ? parseJson(json, 'AUTHZ_OIDC_PROVIDERS') : [];
  if (!Array.isArray(list)) throw new Error('AUTHZ_OIDC_PROVIDERS must be a JSON array');
  const providers = list.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null)
      throw new Error(`AUTHZ_OIDC_PROVIDERS[${index}] must be an object`);
    return parseProvider(raw as Raw, index, production);
  });
  const ids = providers.map((provider) => provider.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new Error(`AUTHZ_OIDC_PROVIDERS: id "${duplicate}" is used twice`);
  const rules = env.AUTHZ_ACCESS_RULES.trim();
  return {
    providers,
    accessRules: rules
      ? parseRules(parseJson(rules, 'AUTHZ_ACCESS_RULES'), 'AUTHZ_ACCESS_RULES')
      : { emails: [], domains: [], groups: [] },
    keepRefreshTokens: env.AUTHZ_OIDC_KEEP_REFRESH_TOKENS,
    tokenKey: tokenKeyOf(env),
  };
}
