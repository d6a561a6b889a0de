import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { connectClient, startHarness, type Harness } from './support/mcp-harness';

const text = (result: unknown) => (result as { content: { text: string }[] }).content[0].text;

describe('mcp protocol over Streamable HTTP (SDK client, bearer header)', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness();
    ({ client } = await connectClient(harness.base, await harness.authz.token({ base: harness.base })));
  });

  afterAll(async () => {
    await client?.close();
    await harness?.close();
  });

  it('initializes with tools, resources, prompts and logging capabilities', () => {
    const capabilities = client.getServerCapabilities();
    expect(capabilities).toEqual(
      expect.objectContaining({
        tools: expect.anything(),
        resources: expect.anything(),
        prompts: expect.anything(),
        logging: expect.anything(),
        completions: {},
      }),
    );
    expect(capabilities?.resources).toEqual({ subscribe: true, listChanged: true });
    expect(client.getServerVersion()?.name).toBe('mcp-auth-gateway');
  });

  it('completes prompt arguments and workspace paths (completion/complete)', async () => {
    const language = await client.complete({
      ref: { type: 'ref/prompt', name: 'explain_code' },
      argument: { name: 'language', value: 'ja' },
    });
    expect(language.completion.values).toEqual(['java', 'javascript']);
    const path = await client.complete({
      ref: { type: 'ref/resource', uri: 'file:///{+path}' },
      argument: { name: 'path', value: 'src/' },
    });
    expect(path.completion.values).toEqual(['src/fibonacci.ts']);
  });

  it('lists every tool with an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'add',
      'analyze_code',
      'calculate',
      'list_directory',
      'read_file',
      'search_files',
      'statistics',
    ]);
    const calculate = tools.find((tool) => tool.name === 'calculate')!;
    expect(calculate.inputSchema).toEqual(
      expect.objectContaining({
        type: 'object',
        properties: expect.objectContaining({ expression: expect.anything() }),
      }),
    );
  });

  it('calls add, calculate and statistics', async () => {
    expect(text(await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } }))).toBe('42');
    expect(
      text(await client.callTool({ name: 'calculate', arguments: { expression: '2 * (3 + 4) ^ 2' } })),
    ).toBe('98');
    const stats = await client.callTool({ name: 'statistics', arguments: { values: [1, 2, 3, 4, 10] } });
    expect(stats.structuredContent).toEqual({
      count: 5,
      sum: 20,
      mean: 4,
      median: 3,
      stdev: expect.any(Number),
      min: 1,
      max: 10,
    });
    expect((stats.structuredContent as { stdev: number }).stdev).toBeCloseTo(3.5355, 3);
  });

  it('calls the filesystem tools on the shipped workspace', async () => {
    const listing = await client.callTool({ name: 'list_directory', arguments: { path: '.' } });
    const entries = (listing.structuredContent as { entries: { path: string; type: string }[] }).entries;
    expect(entries).toEqual(
      expect.arrayContaining([
        { name: 'README.md', path: 'README.md', type: 'file', size: expect.any(Number) },
      ]),
    );
    expect(entries.find((entry) => entry.path === 'notes')?.type).toBe('directory');
    const file = await client.callTool({ name: 'read_file', arguments: { path: 'notes/todo.md' } });
    expect(text(file)).toContain('Things to do');
    const search = await client.callTool({ name: 'search_files', arguments: { query: 'fib' } });
    expect((search.structuredContent as { matches: string[] }).matches).toEqual(['src/fibonacci.ts']);
    const content = await client.callTool({
      name: 'search_files',
      arguments: { query: 'temperature', content: true },
    });
    expect((content.structuredContent as { matches: string[] }).matches).toEqual(['tables/measurements.csv']);
  });

  it('analyzes code', async () => {
    const code = 'function a(x) {\n  if (x) {\n    // TODO: more\n    return 1;\n  }\n  return 2;\n}\n';
    const result = await client.callTool({
      name: 'analyze_code',
      arguments: { code, language: 'javascript' },
    });
    expect(result.structuredContent).toEqual(
      expect.objectContaining({
        lines: 7,
        functions: 1,
        longestFunction: 7,
        todoCount: 1,
        deepestNesting: 2,
        longLines: 0,
      }),
    );
  });

  it('rejects invalid arguments with a message naming the problem', async () => {
    const result = await client.callTool({ name: 'add', arguments: { a: 'two', b: 1 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Invalid arguments for tool add/);
  });

  it('lists resources and templates and reads both kinds', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toEqual(
      expect.arrayContaining(['audit://recent', 'file:///README.md', 'file:///notes/todo.md']),
    );
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['file:///{+path}']);
    const file = await client.readResource({ uri: 'file:///src/fibonacci.ts' });
    expect((file.contents[0] as { text: string }).text).toContain('export function fibonacci');
    const audit = await client.readResource({ uri: 'audit://recent' });
    const entries = JSON.parse((audit.contents[0] as { text: string }).text) as Record<string, unknown>[];
    expect(entries[0]).toEqual(
      expect.objectContaining({
        sub: 'alice',
        client_id: 'test-client',
        method: 'resources/read',
        outcome: 'ok',
      }),
    );
    expect(entries.some((entry) => entry.method === 'tools/call' && entry.tool === 'add')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/eyJ/); // never token contents
  });

  it('lists and gets prompts', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name).sort()).toEqual(['code_review', 'explain_code']);
    const review = prompts.find((prompt) => prompt.name === 'code_review')!;
    expect(review.arguments).toEqual([
      expect.objectContaining({ name: 'code', required: true }),
      expect.objectContaining({ name: 'language', required: false }),
      expect.objectContaining({ name: 'focus', required: false }),
    ]);
    const result = await client.getPrompt({
      name: 'code_review',
      arguments: { code: 'let x = 1', language: 'typescript', focus: 'naming' },
    });
    const message = result.messages[0].content as { text: string };
    expect(message.text).toContain('Concentrate on naming');
    expect(message.text).toContain('let x = 1');
    const explain = await client.getPrompt({ name: 'explain_code', arguments: { code: 'print(1)' } });
    expect((explain.messages[0].content as { text: string }).text).toContain('print(1)');
  });

  it('sends no log notification for a successful call before the client chooses a level', async () => {
    const received: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      received.push(notification.params);
    });
    await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    expect(received).toEqual([]);
  });

  it('sends log notifications at or above the level set with logging/setLevel during a tool call', async () => {
    const received: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      received.push(notification.params);
    });
    await client.setLoggingLevel('debug');
    await client.callTool({ name: 'calculate', arguments: { expression: '1 + 1' } });
    expect(received.map((params) => params.level)).toEqual(['debug']);
    expect(received[0].data).toMatchObject({ event: 'calculate' });

    received.length = 0;
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'calculate', arguments: { expression: 'evaluate("1")' } });
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((params) => ['warning', 'error'].includes(params.level))).toBe(true);
  });
});
