import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from './sqlite-database';
import { SqliteGrantRepository } from './sqlite-grants.repository';

/** node:fs as CommonJS sees it (the object SqliteDatabase's fsync is looked up on at each call), to spy on. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

const grant = (grantId: string) => ({
  grantId,
  clientId: 'c',
  subject: 's',
  scopes: [],
  resource: 'r',
  createdAt: 0,
  expiresAt: Date.now() + 60_000,
});

/** Durable writes without an fsync per commit on the event loop: SqliteDatabase.write and its group commit. */
describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  const open = () => new SqliteDatabase({ backend: 'sqlite', file, maxClients: 10 });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-store-'));
    file = join(dir, 'oauth-store.sqlite');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits without SQLite syncing (synchronous=NORMAL), on a new file and on a reopened one', async () => {
    for (let round = 0; round < 2; round++) {
      const db = open();
      expect(db.get<{ synchronous: number }>('PRAGMA synchronous')?.synchronous).toBe(1);
      await new SqliteGrantRepository(db).save(grant(`g${round}`));
      await db.onApplicationShutdown();
    }
  });

  it('acknowledges a write only once an fsync of the WAL has completed after it', async () => {
    const db = open();
    const held: (() => void)[] = [];
    const real = fs.fsync;
    jest.spyOn(fs, 'fsync').mockImplementation(((fd: number, callback: (error: Error | null) => void) => {
      held.push(() => real(fd, callback));
    }) as unknown as typeof fs.fsync);
    let done = false;
    const saving = new SqliteGrantRepository(db).save(grant('g1')).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Committed (readable) but not acknowledged: its fsync has not completed.
    await expect(new SqliteGrantRepository(db).find('g1')).resolves.toMatchObject({ grantId: 'g1' });
    expect(done).toBe(false);
    expect(held).toHaveLength(1);
    held.shift()!();
    await saving;
    expect(done).toBe(true);
    await db.onApplicationShutdown();
  });

  it('covers a burst of concurrent writes with a few fsyncs, and a write during an fsync with the next one', async () => {
    const db = open();
    const grants = new SqliteGrantRepository(db);
    const spy = jest.spyOn(fs, 'fsync');
    await Promise.all(Array.from({ length: 200 }, (_, i) => grants.save(grant(`g${i}`))));
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
    await expect(grants.find('g199')).resolves.toMatchObject({ grantId: 'g199' });
    await db.onApplicationShutdown();
  });

  it('closes only after the writes still waiting for their fsync have it', async () => {
    const db = open();
    const saving = new SqliteGrantRepository(db).save(grant('late'));
    const closing = db.onApplicationShutdown();
    expect(closing).toBeInstanceOf(Promise);
    await closing;
    await saving;
    const reopened = open();
    await expect(new SqliteGrantRepository(reopened).find('late')).resolves.toMatchObject({
      grantId: 'late',
    });
    await reopened.onApplicationShutdown();
  });
});
