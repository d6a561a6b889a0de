import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MCP_SCOPES } from '@app/scopes';
import { connectClient, postMcp, startHarness, type Harness } from './support/mcp-harness';
import { modernRequest } from './support/modern-request';
import { SseReader } from './support/sse-reader';

/** Polls until `done()` holds, so a test waits for a notification no longer than it takes to arrive. */
async function eventually(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/**
 * Workspace files change under the server; subscribers hear of it (MCP server/resources, "Subscriptions" and
 * "List Changed Notification"): 2025 sessions after resources/subscribe, 2026-07-28 on a subscriptions/listen
 * stream, each only for what it asked.
 */
describe('mcp resource change notifications', () => {
  let harness: Harness;
  let workspace: string;
  const uriOf = (name: string) => `file:///${name}`;
  const token = () =>
    harness.authz.token({
      base: harness.base,
      scope: [MCP_SCOPES.resourcesRead, MCP_SCOPES.resourcesList].join(' '),
    });

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'mcp-watch-'));
    await writeFile(join(workspace, 'watched.txt'), 'one');
    await writeFile(join(workspace, 'other.txt'), 'one');
    harness = await startHarness({ MCP_FS_ROOT: workspace });
  }, 30_000);

  afterAll(async () => {
    await harness?.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('2025-11-25: sends resources/updated for a subscribed file until the session unsubscribes', async () => {
    const { client } = await connectClient(harness.base, await token());
    const updated: string[] = [];
    let listChanged = 0;
    client.setNotificationHandler(
      ResourceUpdatedNotificationSchema,
      (note) => void updated.push(note.params.uri),
    );
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void listChanged++);
    await client.subscribeResource({ uri: uriOf('watched.txt') });

    await writeFile(join(workspace, 'other.txt'), 'two');
    await writeFile(join(workspace, 'watched.txt'), 'two');
    await eventually(() => updated.includes(uriOf('watched.txt')));
    expect(updated).not.toContain(uriOf('other.txt'));

    await writeFile(join(workspace, 'new-2025.txt'), 'fresh');
    await eventually(() => listChanged > 0);

    await client.unsubscribeResource({ uri: uriOf('watched.txt') });
    updated.length = 0;
    await writeFile(join(workspace, 'watched.txt'), 'three');
    await sleep(300);
    expect(updated).toEqual([]);
    await client.close();
  });

  it('2026-07-28: acknowledges a subscriptions/listen filter, then streams only what it names', async () => {
    const { body, headers } = modernRequest(
      'subscriptions/listen',
      { notifications: { resourceSubscriptions: [uriOf('watched.txt')], resourcesListChanged: true } },
      'listen-1',
    );
    const response = await postMcp(harness.base, body, {
      Authorization: `Bearer ${await token()}`,
      ...headers,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const stream = new SseReader(response);
    const subscription = { _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' } };
    try {
      expect(await stream.next()).toMatchObject({
        method: 'notifications/subscriptions/acknowledged',
        params: { ...subscription, notifications: { resourceSubscriptions: [uriOf('watched.txt')] } },
      });
      await writeFile(join(workspace, 'other.txt'), 'four');
      await writeFile(join(workspace, 'watched.txt'), 'four');
      const update = await stream.next((message) => message.method === 'notifications/resources/updated');
      expect(update.params).toEqual({ ...subscription, uri: uriOf('watched.txt') });

      await writeFile(join(workspace, 'new-2026.txt'), 'fresh');
      await stream.next((message) => message.method === 'notifications/resources/list_changed');
      const updates = stream.pending.filter(
        (message) => message.method === 'notifications/resources/updated',
      );
      expect(updates.map((message) => (message.params as { uri: string }).uri)).not.toContain(
        uriOf('other.txt'),
      );
    } finally {
      await stream.close();
    }
  });
});
