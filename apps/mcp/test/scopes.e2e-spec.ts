import { MCP_SCOPES } from '@app/scopes';
import { connectClient, postMcp, startHarness, type Harness } from './support/mcp-harness';
import { modernRequest, postModern } from './support/modern-request';

const call = (method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 7,
  method,
  params,
});

describe('mcp scopes: per-method checks, step-up and filtered lists', () => {
  let harness: Harness;
  let prm: string;

  beforeAll(async () => {
    harness = await startHarness();
    prm = `${harness.base}/.well-known/oauth-protected-resource/mcp`;
  });

  afterAll(() => harness?.close());

  const token = (scopes: string[]) => harness.authz.token({ base: harness.base, scope: scopes.join(' ') });

  const cases: [string, Record<string, unknown>, string][] = [
    ['tools/list', {}, MCP_SCOPES.toolsRead],
    ['tools/call', { name: 'add', arguments: { a: 1, b: 2 } }, MCP_SCOPES.toolsExecute],
    ['resources/list', {}, MCP_SCOPES.resourcesList],
    ['resources/templates/list', {}, MCP_SCOPES.resourcesList],
    ['resources/read', { uri: 'audit://recent' }, MCP_SCOPES.resourcesRead],
    ['resources/subscribe', { uri: 'audit://recent' }, MCP_SCOPES.resourcesRead],
    ['resources/unsubscribe', { uri: 'audit://recent' }, MCP_SCOPES.resourcesRead],
    ['prompts/list', {}, MCP_SCOPES.promptsList],
    ['prompts/get', { name: 'explain_code', arguments: { code: 'x' } }, MCP_SCOPES.promptsRead],
  ];

  /** Methods only 2026-07-28 has, with what they need (THE map in @app/scopes). */
  const modernCases: [string, Record<string, unknown>, string][] = [
    ['subscriptions/listen', { notifications: { toolsListChanged: true } }, MCP_SCOPES.toolsRead],
    [
      'subscriptions/listen',
      { notifications: { resourceSubscriptions: ['file:///README.md'] } },
      MCP_SCOPES.resourcesRead,
    ],
    [
      'completion/complete',
      { ref: { type: 'ref/prompt', name: 'code_review' }, argument: { name: 'language', value: 'ty' } },
      MCP_SCOPES.promptsRead,
    ],
  ];
  const eras = [
    [
      '2025-11-25',
      (method: string, params: Record<string, unknown>) => ({ body: call(method, params), headers: {} }),
    ],
    ['2026-07-28', modernRequest],
  ] as const;
  const everyCase = eras.flatMap(([era, build]) =>
    [...cases, ...(era === '2026-07-28' ? modernCases : [])].map(
      ([method, params, needed]) => [era, method, needed, build(method, params)] as const,
    ),
  );

  it.each(everyCase)(
    '%s: answers %s without %s with 403 insufficient_scope naming it',
    async (_era, _method, needed, request) => {
      const held = [needed === MCP_SCOPES.promptsList ? MCP_SCOPES.toolsRead : MCP_SCOPES.promptsList];
      const response = await postMcp(harness.base, request.body, {
        Authorization: `Bearer ${await token(held)}`,
        ...request.headers,
      });
      expect(response.status).toBe(403);
      const expectedScope = [...new Set([...held, needed])].join(' ');
      expect(response.headers.get('www-authenticate')).toMatch(
        new RegExp(
          `^Bearer error="insufficient_scope", scope="${expectedScope}", resource_metadata="${prm.replace(/[.?]/g, '\\$&')}"`,
        ),
      );
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe('insufficient_scope');
      expect(body.error_description).toContain(needed);
    },
  );

  it('refuses a whole batch when one message lacks a scope', async () => {
    const batch = [call('prompts/list'), { ...call('tools/list'), id: 8 }];
    const response = await postMcp(harness.base, batch, {
      Authorization: `Bearer ${await token([MCP_SCOPES.promptsList])}`,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain(
      `scope="${MCP_SCOPES.promptsList} ${MCP_SCOPES.toolsRead}"`,
    );
  });

  it('lets initialize, ping and logging through with any valid token', async () => {
    const { client } = await connectClient(harness.base, await token([]));
    await expect(client.ping()).resolves.toEqual({});
    await expect(client.setLoggingLevel('error')).resolves.toEqual({});
    await client.close();
  });

  it('2026-07-28: lets server/discover through with any valid token', async () => {
    const reply = await postModern(harness.base, await token([]), 'server/discover');
    expect(reply.status).toBe(200);
    expect(reply.message.result).toMatchObject({ supportedVersions: expect.arrayContaining(['2026-07-28']) });
  });

  it('2026-07-28: runs a tool with mcp:tools:execute and refuses it without, with the same challenge', async () => {
    const add = { name: 'add', arguments: { a: 2, b: 3 } };
    const allowed = await postModern(harness.base, await token([MCP_SCOPES.toolsExecute]), 'tools/call', add);
    expect(allowed.message.result).toMatchObject({ structuredContent: { sum: 5 } });
    const refused = await postModern(harness.base, await token([MCP_SCOPES.toolsRead]), 'tools/call', add);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('2026-07-28: lists only the tools the token can call, by name, privately cacheable', async () => {
    const narrow = await postModern(harness.base, await token([MCP_SCOPES.toolsRead]), 'tools/list');
    const names = (narrow.message.result!.tools as { name: string }[]).map((tool) => tool.name);
    expect(names).toEqual(['add', 'analyze_code', 'calculate', 'statistics']);
    expect(narrow.message.result).toMatchObject({ resultType: 'complete', cacheScope: 'private' });
    const wide = await postModern(
      harness.base,
      await token([MCP_SCOPES.toolsRead, MCP_SCOPES.resourcesRead]),
      'tools/list',
    );
    const all = (wide.message.result!.tools as { name: string }[]).map((tool) => tool.name);
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['list_directory', 'read_file', 'search_files']));
  });

  it('asks for the extra scope a tool declares (step-up) and hides that tool from tools/list', async () => {
    const scopes = [MCP_SCOPES.toolsRead, MCP_SCOPES.toolsExecute];
    const narrow = await token(scopes);
    const response = await postMcp(
      harness.base,
      call('tools/call', { name: 'read_file', arguments: { path: 'README.md' } }),
      {
        Authorization: `Bearer ${narrow}`,
      },
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain(
      `scope="${[...scopes, MCP_SCOPES.resourcesRead].join(' ')}"`,
    );

    const { client } = await connectClient(harness.base, narrow);
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['add', 'analyze_code', 'calculate', 'statistics']);
    await client.close();

    const { client: wide } = await connectClient(
      harness.base,
      await token([...scopes, MCP_SCOPES.resourcesRead]),
    );
    expect((await wide.listTools()).tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['list_directory', 'read_file', 'search_files']),
    );
    const file = await wide.callTool({ name: 'read_file', arguments: { path: 'README.md' } });
    expect(file.isError).toBeFalsy();
    await wide.close();
  });

  it('hides resources and templates needing resources:read from a list-only token', async () => {
    const { client } = await connectClient(harness.base, await token([MCP_SCOPES.resourcesList]));
    expect((await client.listResources()).resources).toEqual([]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([]);
    await client.close();
  });

  it('records scope denials in the audit log', async () => {
    const { client } = await connectClient(harness.base, await token([MCP_SCOPES.resourcesRead]));
    const audit = await client.readResource({ uri: 'audit://recent' });
    const entries = JSON.parse((audit.contents[0] as { text: string }).text) as {
      outcome: string;
      method: string;
    }[];
    expect(entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ outcome: 'denied', method: 'tools/list' })]),
    );
    await client.close();
  });
});
