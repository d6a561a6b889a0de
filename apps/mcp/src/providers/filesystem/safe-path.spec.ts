import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Refusal } from '../../registry/refusal';
import { assertSafeRelativePath, fileUriFor, pathFromFileUri, resolveInsideRoot } from './safe-path';

describe('assertSafeRelativePath', () => {
  it('normalises harmless relative paths', () => {
    expect(assertSafeRelativePath('docs/./a.txt')).toBe('docs/a.txt');
    expect(assertSafeRelativePath('docs//a.txt')).toBe('docs/a.txt');
    expect(assertSafeRelativePath('')).toBe('.');
    expect(assertSafeRelativePath('.')).toBe('.');
    expect(assertSafeRelativePath('a..b/c')).toBe('a..b/c');
  });

  it.each([
    ['..', /"\.\." segments/],
    ['a/../../b', /"\.\." segments/],
    ['/etc/passwd', /absolute/],
    ['C:/x', /absolute/],
    ['c:x', /absolute/],
    ['a\\..\\b', /separator/],
    ['a\0b', /NUL/],
    ['%2e%2e/x', /percent-encoded/],
    ['a%2Fb', /percent-encoded/],
    ['a%5cb', /percent-encoded/],
    ['a%00', /percent-encoded/],
    ['x'.repeat(1025), /longer than/],
  ])('refuses %j', (path, message) => {
    expect(() => assertSafeRelativePath(path)).toThrow(Refusal);
    expect(() => assertSafeRelativePath(path)).toThrow(message);
  });
});

describe('resolveInsideRoot', () => {
  let sandbox: string;
  let root: string;

  beforeAll(() => {
    sandbox = realpathSync(mkdtempSync(join(tmpdir(), 'safe-path-')));
    root = join(sandbox, 'root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'a.txt'), 'a');
    writeFileSync(join(sandbox, 'outside.txt'), 'secret');
    symlinkSync(join(sandbox, 'outside.txt'), join(root, 'out-link'));
    symlinkSync(join(root, 'sub', 'a.txt'), join(root, 'in-link'));
    symlinkSync(sandbox, join(root, 'parent-link'));
  });

  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  it('resolves files, directories and inside symlinks to real paths within the root', async () => {
    await expect(resolveInsideRoot(root, 'sub/a.txt')).resolves.toBe(join(root, 'sub', 'a.txt'));
    await expect(resolveInsideRoot(root, '.')).resolves.toBe(root);
    await expect(resolveInsideRoot(root, 'in-link')).resolves.toBe(join(root, 'sub', 'a.txt'));
  });

  it('refuses symlinks that lead outside the root', async () => {
    await expect(resolveInsideRoot(root, 'out-link')).rejects.toThrow(/symbolic link/);
    await expect(resolveInsideRoot(root, 'parent-link/outside.txt')).rejects.toThrow(/symbolic link/);
  });

  it('reports a missing file without leaking the real path', async () => {
    await expect(resolveInsideRoot(root, 'nope.txt')).rejects.toThrow('Not found: nope.txt');
  });
});

describe('file URIs', () => {
  it('maps file:/// URIs to workspace paths, decoding once', () => {
    expect(pathFromFileUri(new URL('file:///docs/a%20b.txt'))).toBe('docs/a b.txt');
    expect(pathFromFileUri(new URL('file:///'))).toBe('.');
    // The URL parser already removes dot segments, so they cannot climb above the root.
    expect(pathFromFileUri(new URL('file:///../../etc/passwd'))).toBe('etc/passwd');
    // A second encoding survives one decode and is refused by assertSafeRelativePath.
    expect(() => assertSafeRelativePath(pathFromFileUri(new URL('file:///%252e%252e/x')))).toThrow(Refusal);
  });

  it('refuses other schemes and remote hosts', () => {
    expect(() => pathFromFileUri(new URL('http://example.com/a'))).toThrow(Refusal);
    expect(() => pathFromFileUri(new URL('file://evil.example/a'))).toThrow(Refusal);
  });

  it('builds encoded URIs that map back', () => {
    const uri = fileUriFor('docs/a b#1.txt');
    expect(uri).toBe('file:///docs/a%20b%231.txt');
    expect(pathFromFileUri(new URL(uri))).toBe('docs/a b#1.txt');
  });
});
