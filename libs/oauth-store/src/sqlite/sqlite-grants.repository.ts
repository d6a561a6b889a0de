import { Injectable } from '@nestjs/common';
import type { GrantRecord, IssuedAccessToken } from '../records';
import { GrantRepository, RevokedTokenRepository } from '../repositories';
import { SqliteDatabase } from './sqlite-database';

interface GrantRow {
  data: string;
  expires_at: number;
  revoked_at: number | null;
  access_tokens: string;
}

type GrantData = Omit<GrantRecord, 'expiresAt' | 'revokedAt' | 'accessTokens'>;

const SELECT_GRANT =
  'SELECT data, expires_at, revoked_at, access_tokens FROM grants WHERE grant_id = ? AND expires_at > ?';

/** One row per grant, access tokens as a JSON column: `find` is a single primary-key lookup. */
@Injectable()
export class SqliteGrantRepository extends GrantRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  private read(grantId: string): GrantRecord | undefined {
    const row = this.db.get<GrantRow>(SELECT_GRANT, grantId, Date.now());
    if (!row) return undefined;
    return {
      ...(JSON.parse(row.data) as GrantData),
      expiresAt: row.expires_at,
      ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
      accessTokens: JSON.parse(row.access_tokens) as IssuedAccessToken[],
    };
  }

  async save(grant: GrantRecord): Promise<void> {
    const { expiresAt, revokedAt, accessTokens, ...data } = grant;
    this.db.run(
      `INSERT OR REPLACE INTO grants (grant_id, data, expires_at, revoked_at, access_tokens) VALUES (?, ?, ?, ?, ?)`,
      grant.grantId,
      JSON.stringify(data),
      expiresAt,
      revokedAt ?? null,
      JSON.stringify(accessTokens),
    );
  }

  async find(grantId: string): Promise<GrantRecord | undefined> {
    return this.read(grantId);
  }

  async addAccessToken(grantId: string, token: IssuedAccessToken): Promise<void> {
    this.db.transaction(() => {
      const grant = this.read(grantId);
      if (!grant) return;
      const now = Date.now();
      const accessTokens = [...grant.accessTokens.filter((issued) => issued.expiresAt > now), token];
      this.db.run(
        'UPDATE grants SET access_tokens = ?, expires_at = max(expires_at, ?) WHERE grant_id = ?',
        JSON.stringify(accessTokens),
        token.expiresAt,
        grantId,
      );
    });
  }

  async extend(grantId: string, expiresAt: number): Promise<void> {
    this.db.run(
      'UPDATE grants SET expires_at = ? WHERE grant_id = ? AND expires_at > ? AND expires_at < ?',
      expiresAt,
      grantId,
      Date.now(),
      expiresAt,
    );
  }

  async revoke(grantId: string, at: number): Promise<GrantRecord | undefined> {
    return this.db.transaction(() => {
      this.db.run(
        'UPDATE grants SET revoked_at = coalesce(revoked_at, ?) WHERE grant_id = ? AND expires_at > ?',
        at,
        grantId,
        Date.now(),
      );
      return this.read(grantId);
    });
  }
}

@Injectable()
export class SqliteRevokedTokenRepository extends RevokedTokenRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async add(jti: string, expiresAt: number): Promise<void> {
    if (expiresAt <= Date.now()) return;
    this.db.run(
      `INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)
       ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
      jti,
      expiresAt,
    );
  }

  async isRevoked(jti: string): Promise<boolean> {
    return !!this.db.get('SELECT 1 FROM revoked_tokens WHERE jti = ? AND expires_at > ?', jti, Date.now());
  }
}
