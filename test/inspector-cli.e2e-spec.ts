import request from 'supertest';
import { openBrowserInbox, type BrowserInbox } from './support/browser-inbox';
import {
  createInspectorHome,
  ensureInspectorInstalled,
  INSTALL_TIMEOUT_MS,
  runInspectorCli,
  startInspectorCli,
  type CliResult,
  type InspectorHome,
} from './support/inspector';
import { actAsUser } from './support/oauth-user';
import { reservePort } from './support/ports';
import { startStack, type Stack } from './support/stack';
import { startingWith } from './support/matchers';

const CLI_TIMEOUT_MS = 60_000;

/** The CLI's stdout after a successful run; a failed run fails the test with everything it printed. */
function stdoutOf(run: CliResult): string {
  if (run.code !== 0) {
    throw new Error(`inspector --cli exited with ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
  return run.stdout;
}

/** `--format json` prints one object, `{ "result": <the MCP result> }`; this is calculate's answer. */
function calculated(stdout: string): unknown {
  const { result } = JSON.parse(stdout) as {
    result: {
      isError?: boolean;
      structuredContent?: { result?: unknown };
      content: { type: string; text?: string }[];
    };
  };
  expect(result.isError ?? false).toBe(false);
  return result.content.find((block) => block.type === 'text')?.text;
}

/** The pinned MCP Inspector 2.12.0 CLI, talking to the stack only through the gateway. */
describe('MCP Inspector CLI through the gateway', () => {
  let stack: Stack;
  let home: InspectorHome;

  beforeAll(async () => {
    ensureInspectorInstalled();
    stack = await startStack();
  }, INSTALL_TIMEOUT_MS);

  beforeEach(async () => {
    home = await createInspectorHome();
  });

  afterEach(() => home?.remove());

  afterAll(() => stack?.stop());

  const target = () => ['--transport', 'http', '--server-url', stack.mcpUrl(), '--format', 'json'];
  const calculate = [
    '--method',
    'tools/call',
    '--tool-name',
    'calculate',
    '--tool-arg',
    'expression=2 + 3 * 4',
  ];

  it('lists tools and runs calculate with a bearer header from POST /auth/token', async () => {
    const minted = await request(stack.baseUrl()).post('/auth/token').expect(200);
    const header = `Authorization: Bearer ${minted.body.access_token}`;

    const listed = await runInspectorCli(
      [...target(), '--header', header, '--method', 'tools/list'],
      home.env,
      CLI_TIMEOUT_MS,
    );
    const { result } = JSON.parse(stdoutOf(listed)) as { result: { tools: { name: string }[] } };
    const tools = result.tools.map((tool) => tool.name);
    expect(tools).toEqual(expect.arrayContaining(['calculate', 'add']));

    const called = await runInspectorCli(
      [...target(), '--header', header, ...calculate],
      home.env,
      CLI_TIMEOUT_MS,
    );
    expect(calculated(stdoutOf(called))).toBe('14');
  }, 120_000);

  it('is refused without a token when it may not log in', async () => {
    const refused = await runInspectorCli(
      [...target(), '--stored-auth-only', '--method', 'tools/list'],
      home.env,
      CLI_TIMEOUT_MS,
    );
    expect(refused.code).not.toBe(0);
    // With --format json the CLI reports `{ "error": { "code": "auth_required", ... } }` on stderr.
    expect((JSON.parse(refused.stderr) as { error: { code: string } }).error.code).toBe('auth_required');
  }, 90_000);

  describe('with its own OAuth login', () => {
    let inbox: BrowserInbox;

    beforeEach(async () => {
      inbox = await openBrowserInbox();
    });

    afterEach(() => inbox?.close());

    it('opens /authorize in the "browser", receives the approved code on its callback and runs calculate', async () => {
      const callbackUrl = `http://127.0.0.1:${await reservePort()}/oauth/callback`;
      const cli = startInspectorCli(
        [...target(), '--callback-url', callbackUrl, ...calculate],
        { ...home.env, ...inbox.env },
        CLI_TIMEOUT_MS,
      );
      try {
        const authorizationUrl = await inbox.next(CLI_TIMEOUT_MS);
        expect(authorizationUrl.href).toEqual(startingWith(`${stack.baseUrl()}/authorize?`));
        expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(callbackUrl);
        expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
        expect(authorizationUrl.searchParams.get('resource')).toBe(stack.mcpUrl());
        // Registered on the fly (RFC 7591), not the pre-registered client.
        expect(authorizationUrl.searchParams.get('client_id')).not.toBe('mcp-inspector-client');

        const { redirect, consentPage } = await actAsUser(authorizationUrl);
        expect(consentPage).toBeDefined();
        expect(`${redirect.origin}${redirect.pathname}`).toBe(callbackUrl);
        const delivered = await fetch(redirect);
        expect(delivered.status).toBeLessThan(400);
      } catch (error) {
        cli.child.kill('SIGKILL');
        const output = await cli.done.catch((failure: unknown) => String(failure));
        throw new Error(`${String(error)}\nCLI output: ${JSON.stringify(output)}`, { cause: error });
      }
      expect(calculated(stdoutOf(await cli.done))).toBe('14');

      // The login was stored: a later non-interactive run needs no browser.
      const again = await runInspectorCli(
        [...target(), '--stored-auth-only', ...calculate],
        home.env,
        CLI_TIMEOUT_MS,
      );
      expect(calculated(stdoutOf(again))).toBe('14');
    }, 150_000);
  });
});
