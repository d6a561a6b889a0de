import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { closeSync, fsync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { OAUTH_STORE_OPTIONS, type OAuthStoreOptions } from '../store-options';
import { EXPIRING_TABLES, MIGRATIONS } from './sqlite-schema';

const PURGE_INTERVAL_MS = 60_000;

export type Row = Record<string, SQLInputValue>;

const settled = () => undefined;

/**
 * The one SQLite file of the store (node:sqlite, stable enough on Node 24 to load without a warning). WAL lets
 * readers run beside the writer. Every acknowledged write survives a power cut, not only a crash: a repository's
 * write resolves only once the WAL holding it is on disk (`write`). SQLite's own synchronous=FULL would fsync on
 * the event loop at every commit (a /token request commits several times: 0.4 ms each on a typical disk, during
 * which nothing else is served); here commits are synchronous=NORMAL and one fsync of the WAL, on the thread
 * pool, covers every commit made before it started (group commit). Reads ignore expired rows; a timer (unref'd)
 * deletes them.
 */
@Injectable()
export class SqliteDatabase implements OnApplicationShutdown {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly timer: NodeJS.Timeout;
  private readonly logger = new Logger('OAuthStore');
  /** The WAL file, held open to fsync it; undefined when that could not be arranged (then SQLite syncs). */
  private walFd?: number;
  private syncing?: Promise<void>;
  private nextSync?: Promise<void>;

  constructor(@Inject(OAUTH_STORE_OPTIONS) options: OAuthStoreOptions) {
    if (options.backend !== 'sqlite') throw new Error('SqliteDatabase needs the sqlite store options');
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    closeSync(openSync(options.file, 'a', 0o600));
    this.db = new DatabaseSync(options.file, { timeout: 5_000 });
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    this.migrate();
    this.walFd = this.openWal(options.file);
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

  /**
   * The WAL is created with the database's first write (the migrations) and lives as long as a connection does.
   * Only once it is open here may commits skip SQLite's own fsync: `synced` then makes them durable.
   */
  private openWal(file: string): number | undefined {
    try {
      const fd = openSync(`${file}-wal`, 'r');
      this.db.exec('PRAGMA synchronous = NORMAL');
      return fd;
    } catch (error) {
      this.logger.warn(`WAL not opened for group commit, every commit syncs: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Runs a write (statements or a transaction, synchronously, so it cannot interleave with another) and resolves
   * once it is durable. THE way repositories write: never acknowledge what a power cut could take back.
   */
  async write<T>(work: () => T): Promise<T> {
    const result = work();
    await this.synced();
    return result;
  }

  /**
   * Resolves once everything committed so far is on disk: an fsync that started after the last commit. Callers
   * that arrive while one runs share the next one, so a burst of writes costs two fsyncs, not one each.
   */
  private synced(): Promise<void> {
    if (this.walFd === undefined) return Promise.resolve();
    if (!this.syncing) {
      this.syncing = this.fsyncWal().finally(() => (this.syncing = undefined));
      return this.syncing;
    }
    // The running fsync may have started before this commit: wait for the one after it.
    this.nextSync ??= this.syncing.then(settled, settled).then(() => {
      this.nextSync = undefined;
      return this.synced();
    });
    return this.nextSync;
  }

  private fsyncWal(): Promise<void> {
    return new Promise((resolve, reject) =>
      fsync(this.walFd!, (error) => (error ? reject(error) : resolve())),
    );
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

  /** Closes at once, or once the writes still waiting for their fsync have it. */
  onApplicationShutdown(): void | Promise<void> {
    clearInterval(this.timer);
    const pending = this.nextSync ?? this.syncing;
    if (!pending) return this.close();
    return pending.then(settled, settled).then(() => this.close());
  }

  private close(): void {
    if (this.db.isOpen) this.db.close();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
  }
}
