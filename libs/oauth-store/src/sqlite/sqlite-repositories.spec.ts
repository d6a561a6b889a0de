import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreLimits } from '../store-options';
import { describeRepositoryContracts } from '../testing';
import { SQLITE_REPOSITORIES } from '.';
import { SqliteClientRepository } from './sqlite-clients.repository';
import { SqliteDatabase } from './sqlite-database';
import { SqliteGrantRepository } from './sqlite-grants.repository';
import { MIGRATIONS } from './sqlite-schema';

/** Each repository gets its own database file, removed afterwards. */
describeRepositoryContracts('sqlite', async (name, limits) => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-store-'));
  const db = new SqliteDatabase({ backend: 'sqlite', file: join(dir, 'oauth-store.sqlite'), ...limits });
  const Implementation = SQLITE_REPOSITORIES[name] as unknown as new (
    db: SqliteDatabase,
    limits: StoreLimits,
  ) => never;
  return {
    repository: new Implementation(db, limits),
    dispose: async () => {
      await db.onApplicationShutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite file', () => {
  let dir: string;
  let file: string;
  const open = () => new SqliteDatabase({ backend: 'sqlite', file, maxClients: 10 });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-store-'));
    file = join(dir, 'nested', 'oauth-store.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps clients and grant revocations across a reopen', async () => {
    const first = open();
    await new SqliteClientRepository(first, { maxClients: 10 }).save({
      clientId: 'c1',
      redirectUris: ['https://app.example/cb'],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      tokenEndpointAuthMethod: 'none',
      scopes: [],
      clientIdIssuedAt: 0,
      expiresAt: Date.now() + 60_000,
    });
    const grants = new SqliteGrantRepository(first);
    await grants.save({
      grantId: 'g1',
      clientId: 'c1',
      subject: 's',
      scopes: [],
      resource: 'r',
      createdAt: 0,
      expiresAt: Date.now() + 60_000,
    });
    await grants.revoke('g1', 7);
    await first.onApplicationShutdown();

    const second = open();
    try {
      await expect(new SqliteClientRepository(second, { maxClients: 10 }).find('c1')).resolves.toMatchObject({
        clientId: 'c1',
      });
      await expect(new SqliteGrantRepository(second).find('g1')).resolves.toMatchObject({ revokedAt: 7 });
    } finally {
      await second.onApplicationShutdown();
    }
  });

  it('creates the file owner-only, in WAL mode, at the current schema', async () => {
    const db = open();
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(db.get<{ journal_mode: string }>('PRAGMA journal_mode')?.journal_mode).toBe('wal');
      expect(db.get<{ user_version: number }>('PRAGMA user_version')?.user_version).toBe(MIGRATIONS.length);
    } finally {
      await db.onApplicationShutdown();
    }
  });

  it('upgrades a first-schema file: its grants stay readable, the per-token columns and deny-list go', async () => {
    mkdirSync(join(dir, 'nested'));
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0]);
    old.exec('PRAGMA user_version = 1');
    old
      .prepare(
        'INSERT INTO grants (grant_id, data, expires_at, revoked_at, access_tokens) VALUES (?, ?, ?, ?, ?)',
      )
      .run('g1', JSON.stringify({ grantId: 'g1', clientId: 'c' }), Date.now() + 60_000, 3, '[]');
    old.close();
    const db = open();
    try {
      await expect(new SqliteGrantRepository(db).find('g1')).resolves.toMatchObject({ revokedAt: 3 });
      const columns = db.statement('PRAGMA table_info(grants)').all() as Array<{ name: string }>;
      expect(columns.map((column) => column.name)).not.toContain('access_tokens');
      expect(db.get("SELECT name FROM sqlite_master WHERE name = 'revoked_tokens'")).toBeUndefined();
    } finally {
      await db.onApplicationShutdown();
    }
  });

  it('refuses a database written by a newer schema instead of misreading it', async () => {
    const db = open();
    db.statement(`PRAGMA user_version = ${MIGRATIONS.length + 1}`).run();
    await db.onApplicationShutdown();
    expect(open).toThrow(/schema/);
  });

  it('purges expired rows', async () => {
    const db = open();
    try {
      const grants = new SqliteGrantRepository(db);
      const grant = { clientId: 'c', subject: 's', scopes: [], resource: 'r', createdAt: 0 };
      await grants.save({ ...grant, grantId: 'short', expiresAt: Date.now() + 1_000 });
      await grants.save({ ...grant, grantId: 'long', expiresAt: Date.now() + 60_000 });
      db.purge(Date.now() + 5_000);
      expect(db.get<{ n: number }>('SELECT count(*) AS n FROM grants')?.n).toBe(1);
    } finally {
      await db.onApplicationShutdown();
    }
  });
});
