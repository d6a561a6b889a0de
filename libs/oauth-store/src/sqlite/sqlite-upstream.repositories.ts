import { Injectable } from '@nestjs/common';
import type { ConsumeResult, UpstreamLoginRecord, UpstreamTokenRecord } from '../records';
import { UpstreamLoginRepository, UpstreamTokenRepository } from '../repositories';
import { SqliteDatabase } from './sqlite-database';
import { consumeRow } from './sqlite-single-use.repositories';

@Injectable()
export class SqliteUpstreamLoginRepository extends UpstreamLoginRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async save(login: UpstreamLoginRecord): Promise<void> {
    await this.db.write(() =>
      this.db.run(
        'INSERT OR REPLACE INTO upstream_logins (id, data, expires_at) VALUES (?, ?, ?)',
        login.id,
        JSON.stringify(login),
        login.expiresAt,
      ),
    );
  }

  async consume(id: string): Promise<ConsumeResult<UpstreamLoginRecord>> {
    return this.db.write(() =>
      consumeRow(
        this.db,
        'upstream_logins',
        id,
        (row: { data: string }) => JSON.parse(row.data) as UpstreamLoginRecord,
      ),
    );
  }
}

@Injectable()
export class SqliteUpstreamTokenRepository extends UpstreamTokenRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async save(token: UpstreamTokenRecord): Promise<void> {
    await this.db.write(() =>
      this.db.run(
        'INSERT OR REPLACE INTO upstream_tokens (grant_id, data, expires_at) VALUES (?, ?, ?)',
        token.grantId,
        JSON.stringify(token),
        token.expiresAt,
      ),
    );
  }

  async find(grantId: string): Promise<UpstreamTokenRecord | undefined> {
    const row = this.db.get<{ data: string }>(
      'SELECT data FROM upstream_tokens WHERE grant_id = ? AND expires_at > ?',
      grantId,
      Date.now(),
    );
    return row && (JSON.parse(row.data) as UpstreamTokenRecord);
  }
}
