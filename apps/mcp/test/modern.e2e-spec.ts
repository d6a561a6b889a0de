import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postMcp, startHarness, type Harness } from './support/mcp-harness';
import { MODERN_VERSION, modernRequest, postModern } from './support/modern-request';

const SETUP_TIMEOUT_MS = 30_000;

/** MCP 2026-07-28 on /mcp: no sessions, no initialize; every request names its revision. */
describe('mcp 2026-07-28 requests', () => {
  let harness: Harness;
  let workspace: string;
  let token: string;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'mcp-modern-'));
    await mkdir(join(workspace, 'src'));
    await writeFile(join(workspace, 'README.md'), '# workspace');
    // Enough files for a content search to report progress along the way.
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        writeFile(join(workspace, 'src', `file-${i}.ts`), `export const n = ${i};`),
      ),
    );
    harness = await startHarness({ MCP_FS_ROOT: workspace });
    token = await harness.authz.token({ base: harness.base });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await harness?.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('answers server/discover with the revisions and capabilities it serves, naming itself in _meta', async () => {
    const reply = await postModern(harness.base, token, 'server/discover');
    expect(reply.status).toBe(200);
    expect(reply.message.result).toMatchObject({
      supportedVersions: expect.arrayContaining([MODERN_VERSION]),
      capabilities: {
        tools: {},
        prompts: {},
        resources: { subscribe: true, listChanged: true },
        completions: {},
      },
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'mcp-auth-gateway' } },
    });
  });

  it('answers a call that streams nothing with plain JSON, not SSE', async () => {
    const reply = await postModern(harness.base, token, 'tools/call', {
      name: 'add',
      arguments: { a: 1, b: 2 },
    });
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(reply.message.result).toMatchObject({ resultType: 'complete', structuredContent: { sum: 3 } });
  });

  it('refuses headers that disagree with the body with 400 and -32020, echoing the request id', async () => {
    const reply = await postModern(
      harness.base,
      token,
      'tools/call',
      { name: 'add', arguments: { a: 1, b: 2 } },
      { 'Mcp-Name': 'calculate' },
    );
    expect(reply.status).toBe(400);
    expect(reply.message).toMatchObject({ id: 7, error: { code: -32020 } });
  });

  it('refuses a revision it does not serve with 400 and -32022, listing the ones it does', async () => {
    const reply = await postModern(
      harness.base,
      token,
      'tools/list',
      { _meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      { 'MCP-Protocol-Version': '2099-01-01' },
    );
    expect(reply.status).toBe(400);
    expect(reply.message.error).toMatchObject({
      code: -32022,
      data: { supported: [MODERN_VERSION], requested: '2099-01-01' },
    });
  });

  it('answers methods removed in 2026-07-28 with 404 and -32601', async () => {
    const reply = await postModern(harness.base, token, 'ping');
    expect(reply.status).toBe(404);
    expect(reply.message).toMatchObject({ id: 7, error: { code: -32601 } });
  });

  it('reports a missing resource as -32602 with its URI (SEP-2164)', async () => {
    const uri = 'file:///no-such-file.txt';
    const reply = await postModern(harness.base, token, 'resources/read', { uri });
    expect(reply.message.error).toMatchObject({ code: -32602, data: { uri } });
  });

  it('completes prompt arguments and file:// template paths', async () => {
    const language = await postModern(harness.base, token, 'completion/complete', {
      ref: { type: 'ref/prompt', name: 'code_review' },
      argument: { name: 'language', value: 'ty' },
    });
    expect(language.message.result).toMatchObject({ completion: { values: ['typescript'] } });
    const path = await postModern(harness.base, token, 'completion/complete', {
      ref: { type: 'ref/resource', uri: 'file:///{+path}' },
      argument: { name: 'path', value: 'src/file-11' },
    });
    const values = (path.message.result as { completion: { values: string[] } }).completion.values;
    expect(values.sort()).toEqual([
      'src/file-11.ts',
      'src/file-110.ts',
      'src/file-111.ts',
      'src/file-112.ts',
      'src/file-113.ts',
      'src/file-114.ts',
      'src/file-115.ts',
      'src/file-116.ts',
      'src/file-117.ts',
      'src/file-118.ts',
      'src/file-119.ts',
    ]);
  });

  it('streams progress of a long content search when the client sent a progress token', async () => {
    const reply = await postModern(harness.base, token, 'tools/call', {
      name: 'search_files',
      arguments: { query: 'export', content: true, maxResults: 100 },
      _meta: { progressToken: 'search-1' },
    });
    expect(reply.headers.get('content-type')).toContain('text/event-stream');
    const progress = reply.messages.filter((message) => message.method === 'notifications/progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0].params).toMatchObject({ progressToken: 'search-1', progress: 50 });
    expect(reply.message.result).toMatchObject({ structuredContent: { truncated: true } });
  });

  it('has no GET stream: GET without a 2025 session is 405 with Allow: POST', async () => {
    const response = await fetch(`${harness.base}/mcp`, {
      headers: {
        Authorization: `Bearer ${token}`,
        'MCP-Protocol-Version': MODERN_VERSION,
        Accept: 'text/event-stream',
      },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('ignores an Mcp-Session-Id header on a 2026-07-28 request', async () => {
    const { body, headers } = modernRequest('tools/list');
    const response = await postMcp(harness.base, body, {
      Authorization: `Bearer ${token}`,
      'Mcp-Session-Id': 'made-up',
      ...headers,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });
});
