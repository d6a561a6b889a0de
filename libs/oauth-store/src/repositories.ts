import type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  FederatedSignIn,
  GrantRecord,
  InteractionRecord,
  RefreshTokenRecord,
  RotationRequest,
  RotationResult,
  StoredClientRecord,
  UpstreamLoginRecord,
  UpstreamTokenRecord,
} from './records';

/*
 * Abstract classes double as Nest DI tokens, bound per backend by OAuthStoreModule.forRoot. Every method is
 * async so a networked backend (Redis) satisfies the same contract; every record is gone (or reads as absent)
 * after its `expiresAt`; single use (`consume`, `rotate`) is atomic: of concurrent callers exactly one wins, in
 * every backend and across instances sharing one. Lookup keys of codes and refresh tokens are hashes, never the
 * tokens. The contract specs in ./testing are the definition of this behaviour.
 */

/**
 * Dynamically registered clients (configured ones come from configuration and are never stored). At most
 * `maxClients` (OAuthStoreOptions) are live: saving one more evicts the never-used client that expires first,
 * or, when every client has been used, the one that expires first (with fixed lifetimes: the least recently
 * active).
 */
export abstract class ClientRepository {
  abstract find(clientId: string): Promise<ClientRecord | undefined>;
  abstract save(client: StoredClientRecord): Promise<void>;
  /** A completed authorization or token request: sets `lastUsedAt`, pushes `expiresAt` out (never in). */
  abstract markUsed(clientId: string, at: number, expiresAt: number): Promise<void>;
  abstract delete(clientId: string): Promise<void>;
  /** Live clients. */
  abstract count(): Promise<number>;
  /** Every live client, oldest registration first (at most `maxClients` of them: for operators, not requests). */
  abstract list(): Promise<ClientRecord[]>;
}

export abstract class AuthorizationCodeRepository {
  abstract save(code: AuthorizationCodeRecord): Promise<void>;
  /** Single use. A consumed code stays readable as `already_consumed` until it expires. */
  abstract consume(id: string): Promise<ConsumeResult<AuthorizationCodeRecord>>;
}

/** Kept cheap to read: `find` is one lookup in every backend, and a revocation lasts as long as the grant. */
export abstract class GrantRepository {
  abstract save(grant: GrantRecord): Promise<void>;
  abstract find(grantId: string): Promise<GrantRecord | undefined>;
  /** Pushes the grant's lifetime out (each access and refresh token it issues); never shortens it. */
  abstract extend(grantId: string, expiresAt: number): Promise<void>;
  /** Marks the grant revoked and returns it; undefined when unknown. Idempotent. */
  abstract revoke(grantId: string, at: number): Promise<GrantRecord | undefined>;
  /**
   * The client's live grants (revoked ones included, until they expire), oldest first: what revoking a client
   * must revoke. An operator's lookup, indexed in every backend.
   */
  abstract listByClient(clientId: string): Promise<GrantRecord[]>;
  /** The subject's live grants, oldest first. */
  abstract listBySubject(subject: string): Promise<GrantRecord[]>;
}

export abstract class RefreshTokenRepository {
  abstract save(token: RefreshTokenRecord): Promise<void>;
  /** The token, with `consumedAt` once rotated and `successorUsedId` once a token issued from it was used. */
  abstract find(id: string): Promise<RefreshTokenRecord | undefined>;
  /** Atomic rotation with a grace for racing clients: see `RotationResult` and refresh-rotation.rule.ts. */
  abstract rotate(request: RotationRequest): Promise<RotationResult>;
}

export abstract class ConsentRepository {
  abstract find(subject: string, clientId: string): Promise<ConsentRecord | undefined>;
  abstract save(consent: ConsentRecord): Promise<void>;
}

export abstract class InteractionRepository {
  abstract save(interaction: InteractionRecord): Promise<void>;
  abstract find(id: string): Promise<InteractionRecord | undefined>;
  /**
   * Binds the signed-in user (and, for a federated sign-in, who the provider said they are); undefined (and no
   * change) when the interaction is unknown, expired or used.
   */
  abstract setSubject(
    id: string,
    subject: string,
    authTime: number,
    federated?: FederatedSignIn,
  ): Promise<InteractionRecord | undefined>;
  /** Single use: the consent decision. */
  abstract consume(id: string): Promise<ConsumeResult<InteractionRecord>>;
}

/** Upstream sign-ins in flight: single use, so a replayed provider callback finds nothing to complete. */
export abstract class UpstreamLoginRepository {
  abstract save(login: UpstreamLoginRecord): Promise<void>;
  /** Single use. A consumed sign-in stays readable as `already_consumed` until it expires. */
  abstract consume(id: string): Promise<ConsumeResult<UpstreamLoginRecord>>;
}

/** Provider refresh tokens kept per grant (only when configured); `save` replaces the grant's previous one. */
export abstract class UpstreamTokenRepository {
  abstract save(token: UpstreamTokenRecord): Promise<void>;
  abstract find(grantId: string): Promise<UpstreamTokenRecord | undefined>;
}

/** The one list of repositories: every backend binds each of them, and the module exports them all. */
export const REPOSITORIES = {
  clients: ClientRepository,
  codes: AuthorizationCodeRepository,
  grants: GrantRepository,
  refreshTokens: RefreshTokenRepository,
  consents: ConsentRepository,
  interactions: InteractionRepository,
  upstreamLogins: UpstreamLoginRepository,
  upstreamTokens: UpstreamTokenRepository,
} as const;

type Concrete<T extends abstract new (...args: never[]) => unknown> = new (
  ...args: never[]
) => InstanceType<T>;

/** A backend: one implementation class per repository. */
export type RepositoryImplementations = {
  [K in keyof typeof REPOSITORIES]: Concrete<(typeof REPOSITORIES)[K]>;
};
