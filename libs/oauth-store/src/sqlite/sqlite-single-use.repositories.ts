import { Injectable } from '@nestjs/common';
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
import { SqliteDatabase } from './sqlite-database';

/**
 * Single use in one statement: `UPDATE ... WHERE consumed_at IS NULL RETURNING` marks and reads atomically, so
 * of concurrent callers (even in other processes on the same file) exactly one gets a row back.
 */
export function consumeRow<T>(
  db: SqliteDatabase,
  table: string,
  id: string,
  read: (row: never) => T,
): ConsumeResult<T> {
  const now = Date.now();
  const won = db.get(
    `UPDATE ${table} SET consumed_at = ? WHERE id = ? AND expires_at > ? AND consumed_at IS NULL RETURNING *`,
    now,
    id,
    now,
  );
  if (won) return { outcome: 'consumed', record: read(won as never) };
  const spent = db.get(`SELECT * FROM ${table} WHERE id = ? AND expires_at > ?`, id, now);
  return spent ? { outcome: 'already_consumed', record: read(spent as never) } : { outcome: 'not_found' };
}

@Injectable()
export class SqliteAuthorizationCodeRepository extends AuthorizationCodeRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async save(code: AuthorizationCodeRecord): Promise<void> {
    await this.db.write(() =>
      this.db.run(
        'INSERT OR REPLACE INTO codes (id, data, expires_at) VALUES (?, ?, ?)',
        code.id,
        JSON.stringify(code),
        code.expiresAt,
      ),
    );
  }

  async consume(id: string): Promise<ConsumeResult<AuthorizationCodeRecord>> {
    return this.db.write(() =>
      consumeRow(
        this.db,
        'codes',
        id,
        (row: { data: string }) => JSON.parse(row.data) as AuthorizationCodeRecord,
      ),
    );
  }
}

interface RefreshTokenRow {
  data: string;
  consumed_at: number | null;
  successor_used_id: string | null;
}

const toRefreshToken = (row: RefreshTokenRow): RefreshTokenRecord => ({
  ...(JSON.parse(row.data) as RefreshTokenRecord),
  ...(row.consumed_at === null ? {} : { consumedAt: row.consumed_at }),
  ...(row.successor_used_id === null ? {} : { successorUsedId: row.successor_used_id }),
});

@Injectable()
export class SqliteRefreshTokenRepository extends RefreshTokenRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  private read(id: string): RefreshTokenRecord | undefined {
    const row = this.db.get<RefreshTokenRow>(
      'SELECT data, consumed_at, successor_used_id FROM refresh_tokens WHERE id = ? AND expires_at > ?',
      id,
      Date.now(),
    );
    return row && toRefreshToken(row);
  }

  private insert(token: RefreshTokenRecord): void {
    const { consumedAt, successorUsedId, ...data } = token;
    this.db.run(
      `INSERT OR REPLACE INTO refresh_tokens (id, data, expires_at, parent_id, consumed_at, successor_used_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
      token.id,
      JSON.stringify(data),
      token.expiresAt,
      token.parentId ?? null,
      consumedAt ?? null,
      successorUsedId ?? null,
    );
  }

  async save(token: RefreshTokenRecord): Promise<void> {
    await this.db.write(() => this.insert(token));
  }

  async find(id: string): Promise<RefreshTokenRecord | undefined> {
    return this.read(id);
  }

  async rotate({ presentedId, successor, now, graceMs }: RotationRequest): Promise<RotationResult> {
    return this.db.write(() =>
      this.db.transaction(() => {
        const presented = this.read(presentedId);
        if (!presented) return { outcome: 'not_found' } as const;
        const parent = presented.parentId === undefined ? undefined : this.read(presented.parentId);
        const outcome = decideRotation(presented, parent, now, graceMs);
        if (outcome === 'rotated') {
          this.db.run('UPDATE refresh_tokens SET consumed_at = ? WHERE id = ?', now, presentedId);
          if (parent) {
            this.db.run(
              'UPDATE refresh_tokens SET successor_used_id = ? WHERE id = ? AND successor_used_id IS NULL',
              presentedId,
              parent.id,
            );
          }
        }
        if (outcome !== 'reused') this.insert(successor);
        return { outcome, record: presented };
      }),
    );
  }
}

interface InteractionRow {
  data: string;
  subject: string | null;
  auth_time: number | null;
  federated: string | null;
}

const toInteraction = (row: InteractionRow): InteractionRecord => ({
  ...(JSON.parse(row.data) as InteractionRecord),
  ...(row.subject === null ? {} : { subject: row.subject }),
  ...(row.auth_time === null ? {} : { authTime: row.auth_time }),
  ...(row.federated === null ? {} : { federated: JSON.parse(row.federated) as FederatedSignIn }),
});

@Injectable()
export class SqliteInteractionRepository extends InteractionRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async save(interaction: InteractionRecord): Promise<void> {
    const { subject, authTime, federated, ...data } = interaction;
    await this.db.write(() =>
      this.db.run(
        `INSERT OR REPLACE INTO interactions (id, data, expires_at, subject, auth_time, federated)
         VALUES (?, ?, ?, ?, ?, ?)`,
        interaction.id,
        JSON.stringify(data),
        interaction.expiresAt,
        subject ?? null,
        authTime ?? null,
        federated ? JSON.stringify(federated) : null,
      ),
    );
  }

  async find(id: string): Promise<InteractionRecord | undefined> {
    const row = this.db.get<InteractionRow>(
      `SELECT data, subject, auth_time, federated FROM interactions
       WHERE id = ? AND expires_at > ? AND consumed_at IS NULL`,
      id,
      Date.now(),
    );
    return row && toInteraction(row);
  }

  async setSubject(
    id: string,
    subject: string,
    authTime: number,
    federated?: FederatedSignIn,
  ): Promise<InteractionRecord | undefined> {
    const row = await this.db.write(() =>
      this.db.get<InteractionRow>(
        `UPDATE interactions SET subject = ?, auth_time = ?, federated = ?
         WHERE id = ? AND expires_at > ? AND consumed_at IS NULL RETURNING data, subject, auth_time, federated`,
        subject,
        authTime,
        federated ? JSON.stringify(federated) : null,
        id,
        Date.now(),
      ),
    );
    return row && toInteraction(row);
  }

  async consume(id: string): Promise<ConsumeResult<InteractionRecord>> {
    return this.db.write(() => consumeRow(this.db, 'interactions', id, toInteraction));
  }
}
