import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  activeKey,
  isPublished,
  loadOrCreateKeyFile,
  readKeyFile,
  rotateKeyFile,
  writeKeyFile,
} from './key-file';

describe('key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authz-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates one key on first start, mode 0600, and returns the same key afterwards', async () => {
    const created = await loadOrCreateKeyFile(dir);
    expect(created.keys).toHaveLength(1);
    expect(statSync(join(dir, 'signing-keys.json')).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateKeyFile(dir)).toEqual(created);
    expect(await readKeyFile(dir)).toEqual(created);
  });

  it('rotation retires the active key, keeps it while its tokens live, then drops it', async () => {
    const start = await loadOrCreateKeyFile(dir);
    const lifetime = 60_000;
    const rotated = await rotateKeyFile(start, 1_000_000, lifetime);
    expect(rotated.keys).toHaveLength(2);
    expect(activeKey(rotated).kid).not.toBe(activeKey(start).kid);
    const retired = rotated.keys.find((key) => key.kid === activeKey(start).kid)!;
    expect(retired.retiredAt).toBe(1_000_000);
    expect(isPublished(retired, 1_000_000 + lifetime - 1, lifetime)).toBe(true);
    expect(isPublished(retired, 1_000_000 + lifetime, lifetime)).toBe(false);
    const again = await rotateKeyFile(rotated, 1_000_000 + lifetime + 1, lifetime);
    expect(again.keys.map((key) => key.kid)).not.toContain(retired.kid);
    expect(again.keys).toHaveLength(2);
  });

  it('keeps the rewritten file private (0600) and leaves no temp file behind', async () => {
    const rotated = await rotateKeyFile(await loadOrCreateKeyFile(dir), Date.now(), 60_000);
    await writeKeyFile(dir, rotated);
    expect(statSync(join(dir, 'signing-keys.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['signing-keys.json']);
    expect(await readKeyFile(dir)).toEqual(rotated);
  });

  it('creates a missing data directory readable by its owner only', async () => {
    const nested = join(dir, 'fresh', 'keys');
    await loadOrCreateKeyFile(nested);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
  });
});
