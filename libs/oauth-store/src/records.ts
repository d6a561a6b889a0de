/** Plain records the repositories store; times are epoch milliseconds so every backend can serialise them. */

export type TokenEndpointAuthMethod =
  'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** A JSON Web Key Set (RFC 7517 §5) of public keys. */
export interface PublicJwks {
  keys: Record<string, unknown>[];
}

export interface ClientRecord {
  clientId: string;
  /** SHA-256 (hex) of the secret; absent for public clients. */
  clientSecretHash?: string;
  clientName?: string;
  redirectUris: string[];
  grantTypes: string[];
  responseTypes: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /**
   * Clients identified by a Client ID Metadata Document (their clientId is the document's URL): the document's
   * host, shown to the user. Such clients are resolved from the document, never stored.
   */
  documentHost?: string;
  /** private_key_jwt (RFC 7523 §2.2) keys, from the metadata document: inline, or where to fetch them. */
  jwks?: PublicJwks;
  jwksUri?: string;
  /** Scopes the client may request. */
  scopes: string[];
  clientIdIssuedAt: number;
  /** Other RFC 7591 metadata echoed back to the client (client_uri, logo_uri, contacts, ...). */
  metadata?: Record<string, unknown>;
  /** Comes from configuration rather than dynamic registration; such clients are never stored. */
  preRegistered?: boolean;
  /**
   * Stored (dynamically registered) clients only: when the store forgets the client unless it is used again.
   * The app sets it at registration and pushes it out on every use (`ClientRepository.markUsed`).
   */
  expiresAt?: number;
  /** Stored clients only: the last completed authorization or token request, set by the store. */
  lastUsedAt?: number;
}

/** The order operators see clients in: oldest registration first. */
export const byRegistration = (a: ClientRecord, b: ClientRecord) =>
  a.clientIdIssuedAt - b.clientIdIssuedAt || (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0);

/** The order operators see grants in: oldest first. */
export const byCreation = (a: GrantRecord, b: GrantRecord) =>
  a.createdAt - b.createdAt || (a.grantId < b.grantId ? -1 : a.grantId > b.grantId ? 1 : 0);

/** What `ClientRepository.save` takes: every stored client expires. */
export type StoredClientRecord = ClientRecord & { expiresAt: number };

export interface AuthorizationCodeRecord {
  /** Lookup key: a hash of the code, never the code itself. */
  id: string;
  clientId: string;
  redirectUri: string;
  /** OAuth 2.1 §4.1.3: redirect_uri is required at the token endpoint only if it was sent to /authorize. */
  redirectUriProvided: boolean;
  scopes: string[];
  resource: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  subject: string;
  /** The grant the code's tokens will belong to, so a replay can revoke them (RFC 6749 §4.1.2). */
  grantId: string;
  issuer: string;
  authTime: number;
  expiresAt: number;
  /** Metadata-document clients: the document as the user consented to it; /token holds the client to it. */
  clientSnapshot?: ClientRecord;
}

export interface GrantRecord {
  grantId: string;
  clientId: string;
  subject: string;
  scopes: string[];
  resource: string;
  createdAt: number;
  /** Kept at least until the last refresh token and access token of the grant expire. */
  expiresAt: number;
  revokedAt?: number;
  /** Who signed in, when it was through an upstream identity provider; its claims go into access tokens. */
  identity?: FederatedIdentity;
}

export interface RefreshTokenRecord {
  /** Lookup key: a hash of the token. */
  id: string;
  grantId: string;
  clientId: string;
  scopes: string[];
  resource: string;
  issuedAt: number;
  expiresAt: number;
  /** The token this one was issued in exchange for (rotation); absent for the first of a grant. */
  parentId?: string;
  /** Set by the store when the token is first rotated; `find` reports it so a rotated token reads as spent. */
  consumedAt?: number;
  /** Set by the store when a token issued from this one was itself used: that closes this token's grace. */
  successorUsedId?: string;
}

export interface ConsentRecord {
  subject: string;
  clientId: string;
  scopes: string[];
  grantedAt: number;
  /** The user is asked again after this. */
  expiresAt: number;
}

export interface InteractionRecord {
  id: string;
  clientId: string;
  redirectUri: string;
  redirectUriProvided: boolean;
  scopes: string[];
  resource: string;
  state?: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  issuer: string;
  /** Set once the user signed in for this interaction. */
  subject?: string;
  authTime?: number;
  /** Set with `subject` when the user signed in through an upstream identity provider. */
  federated?: FederatedSignIn;
  expiresAt: number;
  /** Metadata-document clients: the document the request was validated against (copied onto the code). */
  clientSnapshot?: ClientRecord;
}

/** A user signed in through an upstream identity provider (OIDC federation, or GitHub's OAuth profile). */
export interface FederatedIdentity {
  /** The provider's configured id. */
  provider: string;
  email?: string;
  /** Only true when the provider said so (`email_verified`, or GitHub's verified primary address). */
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
}

export interface FederatedSignIn {
  identity: FederatedIdentity;
  /** The provider's refresh token, encrypted (AES-256-GCM); only when keeping them is configured. */
  upstreamRefreshToken?: string;
}

/**
 * A sign-in sent to an upstream provider and not yet back: what its callback must match (OpenID Connect Core
 * §3.1.2.1 `state` and `nonce`, RFC 7636 verifier). Single use; looked up by a hash of `state`.
 */
export interface UpstreamLoginRecord {
  /** Lookup key: a hash of the `state` sent to the provider. */
  id: string;
  interactionId: string;
  provider: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect URI sent to the provider; the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUri: string;
  /** A hash of the browser-binding cookie set when the sign-in started. */
  browserBinding: string;
  expiresAt: number;
}

/** A provider refresh token kept for a grant (encrypted), rotated each time the grant is refreshed. */
export interface UpstreamTokenRecord {
  grantId: string;
  provider: string;
  /** Ciphertext (AES-256-GCM), never the token. */
  refreshToken: string;
  expiresAt: number;
}

/**
 * Result of an atomic single-use read. `already_consumed` is distinct from `not_found` so the caller can treat a
 * replay as an attack (revoke the grant) rather than a typo.
 */
export type ConsumeResult<T> =
  { outcome: 'consumed'; record: T } | { outcome: 'already_consumed'; record: T } | { outcome: 'not_found' };

/**
 * Refresh token rotation with a reuse grace (RFC 9700 §4.14.2, OAuth 2.1 §4.3.1). `rotated`: the presented token
 * was fresh and is now spent. `grace`: it was spent moments ago and no token issued from it has been used yet, so
 * the caller is a client that lost (or raced for) the first answer. In both cases the successor is stored.
 * `reused`: anything else, i.e. a leaked token; the caller revokes the grant and nothing is stored.
 */
export type RotationResult =
  { outcome: 'rotated' | 'grace' | 'reused'; record: RefreshTokenRecord } | { outcome: 'not_found' };

export interface RotationRequest {
  /** Lookup key (hash) of the presented token. */
  presentedId: string;
  /** The token to hand out, its `parentId` the presented one's id. */
  successor: RefreshTokenRecord;
  now: number;
  /** How long a spent token may be presented again while its successor is unused; 0 disables the grace. */
  graceMs: number;
}
