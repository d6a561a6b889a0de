import { Injectable } from '@nestjs/common';
import type { GrantRecord } from '../records';
import { GrantRepository } from '../repositories';
import { SqliteDatabase } from './sqlite-database';

interface GrantRow {
  data: string;
  expires_at: number;
  revoked_at: number | null;
}

type GrantData = Omit<GrantRecord, 'expiresAt' | 'revokedAt'>;

const COLUMNS = 'data, expires_at, revoked_at';
const SELECT_GRANT = `SELECT ${COLUMNS} FROM grants WHERE grant_id = ? AND expires_at > ?`;

function toGrant(row: GrantRow): GrantRecord {
  return {
    ...(JSON.parse(row.data) as GrantData),
    expiresAt: row.expires_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

/** One row per grant: `find` is a single primary-key lookup. */
@Injectable()
export class SqliteGrantRepository extends GrantRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  private read(grantId: string): GrantRecord | undefined {
    const row = this.db.get<GrantRow>(SELECT_GRANT, grantId, Date.now());
    return row && toGrant(row);
  }

  async save(grant: GrantRecord): Promise<void> {
    const { expiresAt, revokedAt, ...data } = grant;
    await this.db.write(() =>
      this.db.run(
        `INSERT OR REPLACE INTO grants (grant_id, data, expires_at, revoked_at, client_id, subject, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        grant.grantId,
        JSON.stringify(data),
        expiresAt,
        revokedAt ?? null,
        grant.clientId,
        grant.subject,
        grant.createdAt,
      ),
    );
  }

  async listByClient(clientId: string): Promise<GrantRecord[]> {
    return this.db
      .all<GrantRow>(
        `SELECT ${COLUMNS} FROM grants WHERE client_id = ? AND expires_at > ? ORDER BY created_at, grant_id`,
        clientId,
        Date.now(),
      )
      .map(toGrant);
  }

  async listBySubject(subject: string): Promise<GrantRecord[]> {
    return this.db
      .all<GrantRow>(
        `SELECT ${COLUMNS} FROM grants WHERE subject = ? AND expires_at > ? ORDER BY created_at, grant_id`,
        subject,
        Date.now(),
      )
      .map(toGrant);
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    return this.read(grantId);
  }

  async extend(grantId: string, expiresAt: number): Promise<void> {
    await this.db.write(() =>
      this.db.run(
        'UPDATE grants SET expires_at = ? WHERE grant_id = ? AND expires_at > ? AND expires_at < ?',
        expiresAt,
        grantId,
        Date.now(),
        expiresAt,
      ),
    );
  }

  async revoke(grantId: string, at: number): Promise<GrantRecord | undefined> {
    return this.db.write(() =>
      this.db.transaction(() => {
        this.db.run(
          'UPDATE grants SET revoked_at = coalesce(revoked_at, ?) WHERE grant_id = ? AND expires_at > ?',
          at,
          grantId,
          Date.now(),
        );
        return this.read(grantId);
      }),
    );
  }
}
