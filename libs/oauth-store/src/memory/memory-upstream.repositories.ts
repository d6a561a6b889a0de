import { Injectable } from '@nestjs/common';
import type { UpstreamLoginRecord, UpstreamTokenRecord } from '../records';
import { UpstreamLoginRepository, UpstreamTokenRepository } from '../repositories';
import { copy, SingleUseTtlBacked, TtlBacked } from './memory-single-use.repositories';

/* Federation records, each bounded by its own lifetime (and the rate limit on the sign-in pages). */

@Injectable()
export class MemoryUpstreamLoginRepository
  extends SingleUseTtlBacked<UpstreamLoginRecord>
  implements UpstreamLoginRepository {}

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
