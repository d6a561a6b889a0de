import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type {
  AuthorizationCodeRecord,
  ConsumeResult,
  FederatedSignIn,
  InteractionRecord,
  RefreshTokenRecord,
  RotationRequest,
  RotationResult,
} from '../records';
import { decideRotation } from '../refresh-rotation.rule';
import { AuthorizationCodeRepository, InteractionRepository, RefreshTokenRepository } from '../repositories';
import { TtlMap } from './ttl-map';

/*
 * Short-lived records, each bounded by its own lifetime (and the rate limits that create them). Records are
 * copied in and out so callers never mutate stored state; single-threaded JS makes every method atomic.
 */
export const copy = <T>(value: T): T => structuredClone(value);
const copyResult = <T>(result: ConsumeResult<T>): ConsumeResult<T> =>
  result.outcome === 'not_found' ? result : { outcome: result.outcome, record: copy(result.record) };

export abstract class TtlBacked<T> implements OnModuleDestroy {
  protected readonly map = new TtlMap<T>();

  onModuleDestroy(): void {
    this.map.close();
  }
}

/** A record redeemed once by its id (codes, interactions, upstream sign-ins): save, then consume() exactly once. */
export abstract class SingleUseTtlBacked<T extends { id: string; expiresAt: number }> extends TtlBacked<T> {
  async save(record: T): Promise<void> {
    this.map.set(record.id, copy(record), record.expiresAt);
  }

  async consume(id: string): Promise<ConsumeResult<T>> {
    return copyResult(this.map.consume(id));
  }
}

@Injectable()
export class MemoryAuthorizationCodeRepository
  extends SingleUseTtlBacked<AuthorizationCodeRecord>
  implements AuthorizationCodeRepository {}

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
    return token && copy(token);
  }

  async rotate({ presentedId, successor, now, graceMs }: RotationRequest): Promise<RotationResult> {
    const presented = this.map.get(presentedId);
    if (!presented) return { outcome: 'not_found' };
    const parent = presented.parentId === undefined ? undefined : this.map.get(presented.parentId);
    const outcome = decideRotation(presented, parent, now, graceMs);
    if (outcome === 'rotated') {
      this.map.update(presentedId, (current) => ({ ...current, consumedAt: now }));
      if (parent && parent.successorUsedId === undefined) {
        this.map.update(parent.id, (current) => ({ ...current, successorUsedId: presentedId }));
      }
    }
    if (outcome !== 'reused') this.map.set(successor.id, copy(successor), successor.expiresAt);
    return { outcome, record: copy(presented) };
  }
}

@Injectable()
export class MemoryInteractionRepository
  extends SingleUseTtlBacked<InteractionRecord>
  implements InteractionRepository
{
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
    const updated = this.map.update(id, ({ federated: _previous, ...current }) => ({
      ...current,
      subject,
      authTime,
      ...(federated ? { federated: copy(federated) } : {}),
    }));
    return updated && copy(updated);
  }
}
