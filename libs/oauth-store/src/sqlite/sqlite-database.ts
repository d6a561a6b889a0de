import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { OAUTH_STORE_OPTIONS, type OAuthStoreOptions } from '../store-options';
import { EXPIRING_TABLES, MIGRATIONS } from './sqlite-schema';

const PURGE_INTERVAL_MS = 60_000;

export type Row = Record<string, SQLInputValue>;

/**
 * The one SQLite file of the store (node:sqlite, stable enough on Node 24 to load without a warning). WAL lets
 * readers run beside the writer; synchronous=FULL makes every acknowledged revocation survive a power cut, not
 * only a crash. Reads ignore expired rows; a timer (unref'd) deletes them.
 */
@Injectable()
export class SqliteDatabase implements OnApplicationShutdown {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly timer: NodeJS.Timeout;
  private readonly logger = new Logger('OAuthStore');

  constructor(@Inject(OAUTH_STORE_OPTIONS) options: OAuthStoreOptions) {
    if (options.backend !== 'sqlite') throw new Error('SqliteDatabase needs the sqlite store options');
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    closeSync(openSync(options.file, 'a', 0o600));
    this.db = new DatabaseSync(options.file, { timeout: 5_000 });
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    this.migrate();
    this.purge();
    this.timer = setInterval(() => this.purge(), PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  private migrate(): void {
    const { user_version: version } = this.db.prepare('PRAGMA user_version').get() as {
      user_version: number;
    };
    if (version > MIGRATIONS.length) {
      throw new Error(`The store database has schema ${version}; this version knows ${MIGRATIONS.length}.`);
    }
    for (let next = version; next < MIGRATIONS.length; next++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[next]);
        this.db.exec(`PRAGMA user_version = ${next + 1}`);
      });
    }
  }

  /** Prepared once, reused: statements are the hot part of every request. */
  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }

  /**
   * Read-modify-write atomically. Synchronous calls already cannot interleave within this process; BEGIN
   * IMMEDIATE also holds off another process that opened the same file.
   */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  purge(now = Date.now()): void {
    try {
      for (const table of EXPIRING_TABLES) this.run(`DELETE FROM ${table} WHERE expires_at <= ?`, now);
    } catch (error) {
      this.logger.error(`Purging expired rows failed: ${(error as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    if (this.db.isOpen) this.db.close();
  }
}
