import type { Client } from '@modelcontextprotocol/client';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from './support/paths';
import { connectV2WithUser, HeadlessOAuthProviderV2 } from './support/sdk2-oauth';
import { startStack, type Stack } from './support/stack';

const REDIRECT = 'http://127.0.0.1:33419/oauth/callback';
const textOf = (result: unknown): string =>
  JSON.stringify((result as { content?: unknown }).content ?? result);

/**
 * The official SDK v2 client given only `<gateway>/mcp`: it authorizes itself (discovery, registration, consent,
 * PKCE) and then speaks MCP 2026-07-28 (pinned, or found by its server/discover probe) or 2025-11-25 (its
 * default) to the same endpoint.
 */
describe('the MCP SDK v2 client through the gateway', () => {
  let stack: Stack;
  let workspace: string;
  const open: Client[] = [];

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'mcp-v2-client-'));
    await cp(fromRoot('apps/mcp/workspace'), workspace, { recursive: true });
    stack = await startStack({ mcp: { MCP_FS_ROOT: workspace } });
  }, 30_000);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(workspace, { recursive: true, force: true });
  });

  it('pinned to 2026-07-28: completes OAuth, discovers the server and calls tools', async () => {
    const provider = new HeadlessOAuthProviderV2(REDIRECT);
    const client = await connectV2WithUser(stack.mcpUrl(), provider, { mode: { pin: '2026-07-28' } });
    open.push(client);
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getServerVersion()?.name).toBe('mcp-auth-gateway');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([...tools.map((tool) => tool.name)].sort());
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['add', 'calculate', 'read_file']));
    const result = await client.callTool({ name: 'calculate', arguments: { expression: '2 + 3 * 4' } });
    expect(result.isError ?? false).toBe(false);
    expect(textOf(result)).toContain('14');
    expect(provider.tokens()?.access_token).toEqual(expect.any(String));
  });

  it('in auto mode finds 2026-07-28 by itself, and by default speaks 2025-11-25 to the same endpoint', async () => {
    const provider = new HeadlessOAuthProviderV2(REDIRECT);
    const auto = await connectV2WithUser(stack.mcpUrl(), provider, { mode: 'auto' });
    open.push(auto);
    expect(auto.getProtocolEra()).toBe('modern');
    const legacy = await connectV2WithUser(stack.mcpUrl(), provider, { mode: 'legacy' });
    open.push(legacy);
    expect(legacy.getProtocolEra()).toBe('legacy');
    for (const client of [auto, legacy]) {
      expect(textOf(await client.callTool({ name: 'add', arguments: { a: 40, b: 2 } }))).toContain('42');
    }
  });

  it('hears of a workspace change on a subscriptions/listen stream that the gateway passes through unbuffered', async () => {
    const provider = new HeadlessOAuthProviderV2(REDIRECT);
    const client = await connectV2WithUser(stack.mcpUrl(), provider, { mode: { pin: '2026-07-28' } });
    open.push(client);
    const uri = 'file:///notes/todo.md';
    const updated = new Promise<string>((resolve) =>
      client.setNotificationHandler('notifications/resources/updated', (note) => resolve(note.params.uri)),
    );
    const subscription = await client.listen({ resourceSubscriptions: [uri] });
    expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: [uri] });
    await writeFile(join(workspace, 'notes', 'todo.md'), '- [ ] hear about this change\n');
    await expect(updated).resolves.toBe(uri);
    await subscription.close();
    await expect(subscription.closed).resolves.toBe('local');
  });
});
