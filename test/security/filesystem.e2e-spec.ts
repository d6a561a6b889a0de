import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  callTool,
  inBatches,
  postMcp,
  startAttackStack,
  toolText,
  type AttackStack,
} from './support/attack-stack';

/** What must never come back: the secret next to the workspace, and a system file. */
const SECRET = `TOP-SECRET-${randomBytes(8).toString('hex')}`;
const SYSTEM_FILE = /root:[^:]*:0:0:/;

const READ_FILE_PATHS = [
  '../secret.txt',
  '../../../../../../../../etc/passwd',
  'docs/../../secret.txt',
  './../secret.txt',
  'docs/./../../secret.txt',
  'docs/hello.txt/../../secret.txt',
  'docs/..',
  '..',
  '%2e%2e/secret.txt',
  '%2E%2E%2Fsecret.txt',
  '..%2fsecret.txt',
  '..%2Fsecret.txt',
  '%252e%252e%252fsecret.txt',
  '..%5csecret.txt',
  '..%c0%afsecret.txt',
  '..\\secret.txt',
  'docs\\..\\..\\secret.txt',
  '..;/secret.txt',
  '/etc/passwd',
  '//etc/passwd',
  '/../secret.txt',
  '/proc/self/environ',
  'C:/Windows/win.ini',
  'c:\\windows\\win.ini',
  '\\\\server\\share\\secret.txt',
  'file:///etc/passwd',
  '~/.ssh/id_rsa',
  '$HOME/.bashrc',
  'docs/hello.txt\u0000../../secret.txt',
  '%00../secret.txt',
  'docs/hello.txt%00.png',
  '\uff0e\uff0e/secret.txt',
  ' ../secret.txt',
  '.../secret.txt',
  'escape.txt',
  'outside/secret.txt',
  'outside',
  'hardlink.txt',
  'docs/hardlink-deep.txt',
  'loop/anything',
  `docs/${'a/'.repeat(600)}x`,
];

const LIST_DIRECTORY_PATHS = ['..', '../', '/', '/etc', '%2e%2e', '../root', 'outside', 'docs/../..', 'loop'];

const RESOURCE_URIS = [
  'file:///../secret.txt',
  'file:///%2e%2e/secret.txt',
  'file:///..%2fsecret.txt',
  'file:///%252e%252e/secret.txt',
  'file:///escape.txt',
  'file:///hardlink.txt',
  'file:///outside/secret.txt',
  'file://evil.example/secret.txt',
  'file:////etc/passwd',
  'file:///etc/passwd',
  'file:///docs/%00../../secret.txt',
];

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * Filesystem escapes through the gateway: traversal in every spelling, encodings, absolute and drive paths,
 * NULs, symlinks out of the root, hard links to files outside, loops. Each is refused, and neither the secret
 * next to the workspace nor a system file ever comes back, by any tool or resource.
 */
describe('security: filesystem escapes (read_file, list_directory, search_files, file:// resources)', () => {
  let stack: AttackStack;
  let sandbox: string;
  let token: string;

  beforeAll(async () => {
    sandbox = mkdtempSync(join(tmpdir(), 'security-fs-'));
    const root = join(sandbox, 'root');
    mkdirSync(join(root, 'docs'), { recursive: true });
    writeFileSync(join(root, 'docs', 'hello.txt'), 'hello world\n');
    writeFileSync(join(sandbox, 'secret.txt'), `${SECRET}\n`);
    symlinkSync(join(sandbox, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(sandbox, join(root, 'outside'));
    symlinkSync(join(root, 'loop'), join(root, 'loop'));
    linkSync(join(sandbox, 'secret.txt'), join(root, 'hardlink.txt'));
    linkSync(join(sandbox, 'secret.txt'), join(root, 'docs', 'hardlink-deep.txt'));
    stack = await startAttackStack({ mcp: { MCP_FS_ROOT: root, MCP_TOOL_MAX_CONCURRENT: '64' } });
    token = await stack.mint('fs-attacker');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(sandbox, { recursive: true, force: true });
  });

  const leaks = (text: string) => text.includes(SECRET) || SYSTEM_FILE.test(text);

  it('reads an ordinary workspace file (the control)', async () => {
    const answer = await callTool(stack, token, 'read_file', { path: 'docs/hello.txt' });
    expect(toolText(answer)).toContain('hello world');
  });

  it(`refuses ${READ_FILE_PATHS.length} escapes in read_file`, async () => {
    const outcomes = await inBatches(READ_FILE_PATHS, 8, async (path) => {
      const answer = await callTool(stack, token, 'read_file', { path });
      return {
        path,
        status: answer.status,
        isError: answer.message?.result?.isError,
        leaked: leaks(answer.text),
      };
    });
    expect(
      outcomes.filter((outcome) => outcome.status !== 200 || outcome.isError !== true || outcome.leaked),
    ).toEqual([]);
  });

  it(`refuses ${LIST_DIRECTORY_PATHS.length} escapes in list_directory and lists nothing outside`, async () => {
    const outcomes = await inBatches(LIST_DIRECTORY_PATHS, 8, async (path) => {
      const answer = await callTool(stack, token, 'list_directory', { path });
      return { path, isError: answer.message?.result?.isError, text: answer.text };
    });
    expect(
      outcomes.filter((outcome) => outcome.isError !== true || outcome.text.includes('secret.txt')),
    ).toEqual([]);
  });

  it('searches neither outside the root nor through hard links to files outside', async () => {
    for (const path of ['..', '/', 'outside', '%2e%2e']) {
      const answer = await callTool(stack, token, 'search_files', { query: 'secret', path });
      expect(answer.message?.result?.isError).toBe(true);
    }
    const inContent = await callTool(stack, token, 'search_files', {
      query: SECRET,
      path: '.',
      content: true,
    });
    expect(inContent.message?.result?.isError).toBeUndefined();
    expect(inContent.text).not.toContain('hardlink');
    expect(inContent.text).not.toContain('escape.txt');
  });

  it(`refuses ${RESOURCE_URIS.length} escapes in resources/read with a JSON-RPC error`, async () => {
    const outcomes = await inBatches(RESOURCE_URIS, 8, async (uri) => {
      const body = {
        jsonrpc: '2.0',
        id: 1,
        method: 'resources/read',
        params: {
          uri,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'attack-suite', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      };
      const answer = await postMcp(stack.baseUrl(), token, body, {
        'MCP-Protocol-Version': '2026-07-28',
        'Mcp-Method': 'resources/read',
        'Mcp-Name': uri,
      });
      return {
        uri,
        hasError: answer.message?.error !== undefined || answer.status >= 400,
        leaked: leaks(answer.text),
      };
    });
    expect(outcomes.filter((outcome) => !outcome.hasError || outcome.leaked)).toEqual([]);
  });
});
