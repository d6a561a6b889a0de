import type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  FederatedSignIn,
  GrantRecord,
  InteractionRecord,
  IssuedAccessToken,
  RefreshTokenRecord,
  UpstreamLoginRecord,
  UpstreamTokenRecord,
} from './records';

/*
 * Abstract classes double as Nest DI tokens: bind them with `{ provide: XRepository, useClass: ... }`.
 * Every method is async so a networked backend (Redis) satisfies the same contract; every expiring record is
 * gone (or reads as absent) after its `expiresAt`; `consume()` is atomic: of concurrent callers exactly one
 * gets `consumed` (modelled on panva/node-oidc-provider's adapter contract).
 */

export abstract class ClientRepository {
  abstract find(clientId: string): Promise<ClientRecord | undefined>;
  abstract save(client: ClientRecord): Promise<void>;
  abstract delete(clientId: string): Promise<void>;
}

export abstract class AuthorizationCodeRepository {
  abstract save(code: AuthorizationCodeRecord): Promise<void>;
  /** Single use. A consumed code stays readable as `already_consumed` until it expires. */
  abstract consume(id: string): Promise<ConsumeResult<AuthorizationCodeRecord>>;
}

export abstract class GrantRepository {
  abstract save(grant: GrantRecord): Promise<void>;
  abstract find(grantId: string): Promise<GrantRecord | undefined>;
  /** Records an access token of the grant (its jti is deny-listed when the grant is revoked). */
  abstract addAccessToken(grantId: string, token: IssuedAccessToken): Promise<void>;
  /** Pushes the grant's lifetime out (refresh rotation); never shortens it. */
  abstract extend(grantId: string, expiresAt: number): Promise<void>;
  /** Marks the grant revoked and returns it; undefined when unknown. Idempotent. */
  abstract revoke(grantId: string, at: number): Promise<GrantRecord | undefined>;
}

export abstract class RefreshTokenRepository {
  abstract save(token: RefreshTokenRecord): Promise<void>;
  /** The token, with `consumedAt` once it has been consumed. */
  abstract find(id: string): Promise<RefreshTokenRecord | undefined>;
  /** Single use (rotation). A consumed token stays readable as `already_consumed` until it expires. */
  abstract consume(id: string): Promise<ConsumeResult<RefreshTokenRecord>>;
}

export abstract class ConsentRepository {
  abstract find(subject: string, clientId: string): Promise<ConsentRecord | undefined>;
  abstract save(consent: ConsentRecord): Promise<void>;
}

/** The deny-list: revoked access-token ids, each kept until the token would have expired anyway. */
export abstract class RevokedTokenRepository {
  abstract add(jti: string, expiresAt: number): Promise<void>;
  abstract isRevoked(jti: string): Promise<boolean>;
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
  abstract consume(id: string): Promise<ConsumeResult<UpstreamLoginRecord>>;
}

/** Provider refresh tokens kept per grant (only when configured); `save` replaces the grant's previous one. */
export abstract class UpstreamTokenRepository {
  abstract save(token: UpstreamTokenRecord): Promise<void>;
  abstract find(grantId: string): Promise<UpstreamTokenRecord | undefined>;
}
