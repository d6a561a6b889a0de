import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, startHarness, type Harness } from './support/mcp-harness';

type ToolResult = { isError?: boolean; content: { text: string }[] };

describe('mcp providers refuse hostile input', () => {
  let harness: Harness;
  let client: Client;
  let sandbox: string;

  beforeAll(async () => {
    sandbox = mkdtempSync(join(tmpdir(), 'mcp-fs-'));
    const root = join(sandbox, 'root');
    mkdirSync(join(root, 'docs'), { recursive: true });
    writeFileSync(join(root, 'docs', 'hello.txt'), 'hello world\n');
    writeFileSync(join(root, 'big.txt'), 'x'.repeat(2048));
    writeFileSync(join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    writeFileSync(join(sandbox, 'secret.txt'), 'top secret\n');
    symlinkSync(join(sandbox, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(sandbox, join(root, 'outside'));
    symlinkSync(join(root, 'docs', 'hello.txt'), join(root, 'inside-link.txt'));
    // A hard link looks like an ordinary file inside the root, yet it is the secret outside it.
    linkSync(join(sandbox, 'secret.txt'), join(root, 'hardlink.txt'));
    harness = await startHarness({
      MCP_FS_ROOT: root,
      MCP_FS_MAX_FILE_BYTES: '1024',
      MCP_MATH_TIMEOUT_MS: '500',
    });
    ({ client } = await connectClient(harness.base, await harness.authz.token({ base: harness.base })));
  });

  afterAll(async () => {
    await client?.close();
    await harness?.close();
    rmSync(sandbox, { recursive: true, force: true });
  });

  const tool = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }) as Promise<ToolResult>;

  async function expectRefused(name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
    const result = await tool(name, args);
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(message);
    expect(result.content[0].text).not.toContain('top secret');
  }

  it.each([
    ['plain traversal', '../secret.txt', /"\.\." segments/],
    ['nested traversal', 'docs/../../secret.txt', /"\.\." segments/],
    ['encoded traversal', '%2e%2e/secret.txt', /percent-encoded/],
    ['double-encoded traversal', '%252e%252e%252fsecret.txt', /percent-encoded|Not found/],
    ['absolute path', '/etc/passwd', /absolute paths/],
    ['windows drive path', 'C:/Windows/win.ini', /absolute paths/],
    ['backslash traversal', '..\\secret.txt', /separator/],
    ['NUL byte', 'docs/hello.txt\0.png', /NUL byte/],
    ['symlink to a file outside', 'escape.txt', /symbolic link/],
    ['symlink to a directory outside', 'outside/secret.txt', /symbolic link/],
    ['hard link to a file outside', 'hardlink.txt', /other hard links/],
  ])('refuses %s in read_file', async (_label, path, message) => {
    await expectRefused('read_file', { path }, message);
  });

  it('refuses traversal in list_directory and search_files too', async () => {
    await expectRefused('list_directory', { path: '..' }, /"\.\." segments/);
    await expectRefused('list_directory', { path: 'outside' }, /symbolic link/);
    await expectRefused('search_files', { query: 'secret', path: '/' }, /absolute paths/);
  });

  it('does not follow symlinks while searching', async () => {
    const result = await tool('search_files', { query: 'secret', content: true });
    expect(JSON.parse(result.content[0].text).matches).toEqual([]);
  });

  it('still serves symlinks that stay inside the root, and refuses large or binary files', async () => {
    expect((await tool('read_file', { path: 'inside-link.txt' })).content[0].text).toBe('hello world\n');
    await expectRefused('read_file', { path: 'big.txt' }, /too large/);
    await expectRefused('read_file', { path: 'image.bin' }, /Not a text file/);
    await expectRefused('read_file', { path: 'missing.txt' }, /Not found/);
  });

  it('refuses traversal through file:// resource URIs with -32602', async () => {
    for (const uri of ['file:///%252e%252e/secret.txt', 'file:///escape.txt', 'file:///outside/secret.txt']) {
      await expect(client.readResource({ uri })).rejects.toMatchObject({ code: -32602 });
    }
    const ok = await client.readResource({ uri: 'file:///docs/hello.txt' });
    expect((ok.contents[0] as { text: string }).text).toBe('hello world\n');
  });

  it.each([
    ['import', 'import({x: 1}, {override: true})', /import is disabled/],
    ['createUnit', 'createUnit("foo")', /createUnit is disabled/],
    ['evaluate', 'evaluate("1+1")', /evaluate is disabled/],
    ['parse', 'parse("1+1")', /parse is disabled/],
    ['simplify', 'simplify("x + x")', /simplify is disabled/],
    ['derivative', 'derivative("x^2", "x")', /derivative is disabled/],
    ['user functions (unbounded recursion)', 'f(n) = f(n - 1) + f(n - 1); f(60)', /FunctionAssignmentNode/],
    ['huge ranges', 'sum(1:1e9)', /RangeNode/],
    ['huge matrices', 'zeros(100000, 100000)', /zeros is disabled/],
    ['huge combinatorics', 'combinations(1e9, 5e8)', /combinations is disabled/],
    ['prototype access', 'cos.constructor("return process")', /method calls are not allowed/],
    ['property access', 'x = "abc"; x.constructor', /No access to property/],
    ['indexed growth (a fatal V8 abort if evaluated)', 'A = [1]; A[1e9] = 1; 1', /assigning into a matrix/],
    ['method-call growth', 'A = matrix([1]); A.resize([1e9])', /method calls are not allowed/],
    ['CPU-bound work', Array(8).fill('isPrime(9007199254740881)').join('+'), /took longer than 500 ms/],
    ['syntax errors', '2 +* 3', /Invalid expression/],
  ])('refuses %s in calculate', async (_label, expression, message) => {
    const result = await tool('calculate', { expression });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(message);
  });

  it('refuses over-long expressions and oversized lists through their schemas', async () => {
    const long = await tool('calculate', { expression: '1+'.repeat(400) + '1' });
    expect(long.isError).toBe(true);
    expect(long.content[0].text).toMatch(/Invalid arguments/);
    const many = await tool('statistics', { values: Array.from({ length: 10_001 }, () => 1) });
    expect(many.isError).toBe(true);
  });

  it('keeps working after hostile input', async () => {
    expect((await tool('calculate', { expression: 'sqrt(16) + 5 cm to mm' })).isError).toBe(true);
    expect((await tool('calculate', { expression: 'sqrt(16) + 2' })).content[0].text).toBe('6');
  });
});
