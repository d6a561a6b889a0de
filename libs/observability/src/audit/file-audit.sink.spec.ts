import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAuditSink } from './file-audit.sink';

describe('FileAuditSink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-sink-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one line per event to a 0600 file in a folder it makes', async () => {
    const path = join(dir, 'nested', 'app.log');
    const sink = new FileAuditSink(path, 4096, 2, (error) => {
      throw error;
    });
    sink.write('{"a":1}\n');
    sink.write('{"a":2}\n');
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('rotates past the size, keeping `keep` old files and losing no line', async () => {
    const path = join(dir, 'rotating.log');
    const failures: Error[] = [];
    const sink = new FileAuditSink(path, 100, 2, (error) => failures.push(error));
    const lines = Array.from({ length: 12 }, (_, i) => `${JSON.stringify({ n: i, pad: 'x'.repeat(20) })}\n`);
    for (const line of lines) sink.write(line);
    await sink.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures).toEqual([]);
    expect(existsSync(`${path}.3`)).toBe(false);
    const kept = [`${path}.2`, `${path}.1`, path].map((file) => readFileSync(file, 'utf8'));
    for (const text of kept) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100);
    // The newest lines, in order, across the files that remain.
    const all = kept.join('');
    expect(lines.join('').endsWith(all)).toBe(true);
    expect(all.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(6);
  });

  it('continues an existing file, counting its size', async () => {
    const path = join(dir, 'existing.log');
    const first = new FileAuditSink(path, 60, 1, () => undefined);
    first.write(`${'a'.repeat(49)}\n`);
    await first.close();
    const second = new FileAuditSink(path, 60, 1, () => undefined);
    second.write(`${'b'.repeat(19)}\n`);
    await second.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'a'.repeat(49)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${'b'.repeat(19)}\n`);
  });
});
