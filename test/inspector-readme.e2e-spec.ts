import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { withBrowser } from './support/browser';
import { openBrowserInbox } from './support/browser-inbox';
import {
  createInspectorHome,
  ensureInspectorInstalled,
  INSTALL_TIMEOUT_MS,
  startInspectorCli,
  type InspectorHome,
} from './support/inspector';
import { actAsUser } from './support/oauth-user';
import { reservePort } from './support/ports';
import { startStack, type Stack } from './support/stack';
import { fromRoot } from './support/paths';

jest.setTimeout(180_000);

/**
 * `npm run inspector -- <args>` as the README's Inspector section shows it (its web UI on an ephemeral port):
 * resolves with the URL it prints to open.
 */
async function inspectorWeb(
  home: InspectorHome,
  args: string[],
): Promise<{ url: string; child: ChildProcess }> {
  // A server given on the command line makes a read-only session; a catalog path would be refused with it.
  const env: Record<string, string> = { ...home.env };
  delete env.MCP_CATALOG_PATH;
  const child = spawn(process.execPath, [fromRoot('tools/inspector/run.js'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      CLIENT_PORT: String(await reservePort()),
      MCP_SANDBOX_PORT: '0',
      MCP_APP_ORIGIN_PORT: '0',
      MCP_AUTO_OPEN_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('is up and running')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`inspector web did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: /(http:\/\/\S+MCP_INSPECTOR_API_TOKEN=\S+)/.exec(output)![1], child };
}

/** Switches the one server card on, as the README says; `approve` handles the consent page when OAuth runs. */
async function connect(page: Page, url: string, approve?: (page: Page) => Promise<void>): Promise<void> {
  await page.goto(url);
  // Mantine's switch input is visually hidden behind its track.
  await page.getByRole('switch').first().click({ force: true });
  if (approve) await approve(page);
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
}

async function calculate(page: Page): Promise<void> {
  await page.locator('header').getByText('Tools', { exact: true }).click();
  const tools = page.locator('[data-testid="tools-screen"]');
  await tools.getByText('calculate', { exact: true }).click();
  await tools.getByRole('textbox', { name: 'expression' }).fill('2 + 3 * 4');
  await tools.getByRole('button', { name: 'Execute Tool' }).click();
  await tools.getByText('14', { exact: true }).first().waitFor();
}

/** The README's Inspector commands that the other Inspector tests do not run as written. */
describe("README 'Connect the MCP Inspector', as written", () => {
  let stack: Stack;
  let home: InspectorHome;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    ensureInspectorInstalled();
    stack = await startStack();
  }, INSTALL_TIMEOUT_MS);
  beforeEach(async () => {
    home = await createInspectorHome();
  });
  afterEach(async () => {
    child?.kill('SIGTERM');
    child = undefined;
    await home.remove();
  });
  afterAll(() => stack?.stop());

  it('web UI, OAuth: --transport http --server-url, switch the server on, Approve, run calculate', async () => {
    const web = await inspectorWeb(home, ['--transport', 'http', '--server-url', stack.mcpUrl()]);
    child = web.child;
    await withBrowser('readme-inspector-web-oauth', async ({ page }) => {
      page.setDefaultTimeout(30_000);
      await connect(page, web.url, async (browser) => {
        await browser.waitForURL((next) => next.href.startsWith(`${stack.baseUrl()}/authorize`));
        await browser.getByRole('button', { name: /approve/i }).click();
      });
      await calculate(page);
    });
  });

  it('web UI, bearer mode: the token as --header on the command line', async () => {
    const minted = await fetch(`${stack.baseUrl()}/auth/token`, { method: 'POST' });
    const { access_token: token } = (await minted.json()) as { access_token: string };
    const args = [
      '--transport',
      'http',
      '--server-url',
      stack.mcpUrl(),
      '--header',
      `Authorization: Bearer ${token}`,
    ];
    const web = await inspectorWeb(home, args);
    child = web.child;
    await withBrowser('readme-inspector-web-bearer', async ({ page }) => {
      page.setDefaultTimeout(30_000);
      await connect(page, web.url);
      await calculate(page);
    });
  });

  it('CLI with the pre-registered client: --client-id mcp-inspector-client and its registered callback', async () => {
    const inbox = await openBrowserInbox();
    const cli = startInspectorCli(
      [
        ...['--transport', 'http', '--server-url', stack.mcpUrl(), '--format', 'json'],
        ...['--client-id', 'mcp-inspector-client', '--callback-url', 'http://localhost:6274/oauth/callback'],
        ...['--method', 'tools/list'],
      ],
      { ...home.env, ...inbox.env },
      90_000,
    );
    try {
      const authorization = await inbox.next(60_000);
      expect(authorization.searchParams.get('client_id')).toBe('mcp-inspector-client');
      const { redirect } = await actAsUser(authorization);
      await fetch(redirect);
      const done = await cli.done;
      expect(done.code).toBe(0);
      expect(done.stdout).toContain('"calculate"');
    } finally {
      cli.child.kill('SIGKILL');
      await inbox.close();
    }
  });
});
