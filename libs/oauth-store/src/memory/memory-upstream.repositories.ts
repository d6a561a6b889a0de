import { Injectable } from '@nestjs/common';
import type { ConsumeResult, UpstreamLoginRecord, UpstreamTokenRecord } from '../records';
import { UpstreamLoginRepository, UpstreamTokenRepository } from '../repositories';
import { copy, copyResult, TtlBacked } from './memory-single-use.repositories';

/* Federation records, each bounded by its own lifetime (and the rate limit on the sign-in pages). */

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
