import { Injectable, type OnModuleDestroy } from '@nestjs/common';
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
} from '../records';
import {
  AuthorizationCodeRepository,
  ClientRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  RefreshTokenRepository,
  RevokedTokenRepository,
  UpstreamLoginRepository,
  UpstreamTokenRepository,
} from '../repositories';
import { TtlMap } from './ttl-map';

/** Records are copied in and out so callers can never mutate stored state by accident. */
const copy = <T>(value: T): T => structuredClone(value);
const copyResult = <T>(result: ConsumeResult<T>): ConsumeResult<T> =>
  result.outcome === 'not_found' ? result : { outcome: result.outcome, record: copy(result.record) };

@Injectable()
export class MemoryClientRepository extends ClientRepository {
  private readonly clients = new Map<string, ClientRecord>();

  async find(clientId: string): Promise<ClientRecord | undefined> {
    const client = this.clients.get(clientId);
    return client && copy(client);
  }

  async save(client: ClientRecord): Promise<void> {
    this.clients.set(client.clientId, copy(client));
  }

  async delete(clientId: string): Promise<void> {
    this.clients.delete(clientId);
  }
}

abstract class TtlBacked<T> implements OnModuleDestroy {
  protected readonly map = new TtlMap<T>();

  onModuleDestroy(): void {
    this.map.close();
  }
}

@Injectable()
export class MemoryAuthorizationCodeRepository
  extends TtlBacked<AuthorizationCodeRecord>
  implements AuthorizationCodeRepository
{
  async save(code: AuthorizationCodeRecord): Promise<void> {
    this.map.set(code.id, copy(code), code.expiresAt);
  }

  async consume(id: string): Promise<ConsumeResult<AuthorizationCodeRecord>> {
    return copyResult(this.map.consume(id));
  }
}

@Injectable()
export class MemoryGrantRepository extends TtlBacked<GrantRecord> implements GrantRepository {
  async save(grant: GrantRecord): Promise<void> {
    this.map.set(grant.grantId, copy(grant), grant.expiresAt);
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    const grant = this.map.get(grantId);
    return grant && copy(grant);
  }

  async addAccessToken(grantId: string, token: IssuedAccessToken): Promise<void> {
    const grant = this.map.get(grantId);
    if (!grant) return;
    const now = Date.now();
    const accessTokens = [...grant.accessTokens.filter((issued) => issued.expiresAt > now), { ...token }];
    const expiresAt = Math.max(grant.expiresAt, token.expiresAt);
    this.map.set(grantId, { ...grant, accessTokens, expiresAt }, expiresAt);
  }

  async extend(grantId: string, expiresAt: number): Promise<void> {
    const grant = this.map.get(grantId);
    if (!grant || expiresAt <= grant.expiresAt) return;
    this.map.set(grantId, { ...grant, expiresAt }, expiresAt);
  }

  async revoke(grantId: string, at: number): Promise<GrantRecord | undefined> {
    const grant = this.map.update(grantId, (current) => ({ ...current, revokedAt: current.revokedAt ?? at }));
    return grant && copy(grant);
  }
}

@Injectable()
export class MemoryRefreshTokenRepository
  extends TtlBacked<RefreshTokenRecord>
  implements RefreshTokenRepository
{
  async save(token: RefreshTokenRecord): Promise<void> {
    this.map.set(token.id, copy(token), token.expiresAt);
  }

  async find(id: string): Promise<RefreshTokenRecord | undefined> {
    const token = this.map.get(id);
    const consumedAt = this.map.consumedAt(id);
    return token && (consumedAt === undefined ? copy(token) : { ...copy(token), consumedAt });
  }

  async consume(id: string): Promise<ConsumeResult<RefreshTokenRecord>> {
    return copyResult(this.map.consume(id));
  }
}

@Injectable()
export class MemoryConsentRepository extends ConsentRepository {
  private readonly consents = new Map<string, ConsentRecord>();

  async find(subject: string, clientId: string): Promise<ConsentRecord | undefined> {
    const consent = this.consents.get(JSON.stringify([subject, clientId]));
    return consent && copy(consent);
  }

  async save(consent: ConsentRecord): Promise<void> {
    this.consents.set(JSON.stringify([consent.subject, consent.clientId]), copy(consent));
  }
}

@Injectable()
export class MemoryRevokedTokenRepository extends TtlBacked<true> implements RevokedTokenRepository {
  async add(jti: string, expiresAt: number): Promise<void> {
    this.map.set(jti, true, expiresAt);
  }

  async isRevoked(jti: string): Promise<boolean> {
    return this.map.get(jti) === true;
  }
}

@Injectable()
export class MemoryInteractionRepository
  extends TtlBacked<InteractionRecord>
  implements InteractionRepository
{
  async save(interaction: InteractionRecord): Promise<void> {
    this.map.set(interaction.id, copy(interaction), interaction.expiresAt);
  }

  async find(id: string): Promise<InteractionRecord | undefined> {
    if (this.map.isConsumed(id)) return undefined;
    const interaction = this.map.get(id);
    return interaction && copy(interaction);
  }

  async setSubject(
    id: string,
    subject: string,
    authTime: number,
    federated?: FederatedSignIn,
  ): Promise<InteractionRecord | undefined> {
    if (this.map.isConsumed(id)) return undefined;
    const updated = this.map.update(id, (current) => ({
      ...current,
      subject,
      authTime,
      federated: federated && copy(federated),
    }));
    return updated && copy(updated);
  }

  async consume(id: string): Promise<ConsumeResult<InteractionRecord>> {
    return copyResult(this.map.consume(id));
  }
}

@Injectable()
export class MemoryUpstreamLoginRepository
  extends TtlBacked<UpstreamLoginRecord>
  implements UpstreamLoginRepository
{
  async save(login: UpstreamLoginRecord): Promise<void> {
    this.map.set(login.id, copy(login), login.expiresAt);
  }

  async consume(id: string): Promise<ConsumeResult<UpstreamLoginRecord>> {
    return copyResult(this.map.consume(id));
  }
}

@Injectable()
export class MemoryUpstreamTokenRepository
  extends TtlBacked<UpstreamTokenRecord>
  implements UpstreamTokenRepository
{
  async save(token: UpstreamTokenRecord): Promise<void> {
    this.map.set(token.grantId, copy(token), token.expiresAt);
  }

  async find(grantId: string): Promise<UpstreamTokenRecord | undefined> {
    const token = this.map.get(grantId);
    return token && copy(token);
  }
}
