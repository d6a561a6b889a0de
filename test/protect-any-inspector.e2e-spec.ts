import { ALL_MCP_SCOPES } from '@app/scopes';
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
import { startProtectedStack, type ProtectedStack } from './support/protected-stack';

const CLI_TIMEOUT_MS = 60_000;

function resultOf<T>(run: CliResult): T {
  if (run.code !== 0) {
    throw new Error(`inspector --cli exited with ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
  return (JSON.parse(run.stdout) as { result: T }).result;
}

const textOf = (result: { content: { type: string; text?: string }[] }) =>
  result.content.find((block) => block.type === 'text')?.text;

/** The pinned MCP Inspector CLI against a third-party server the gateway protects, and the bundled one beside it. */
describe('MCP Inspector CLI against /echo/mcp and /mcp behind one gateway', () => {
  let protectedStack: ProtectedStack;
  let home: InspectorHome;

  beforeAll(async () => {
    ensureInspectorInstalled();
    protectedStack = await startProtectedStack();
  }, INSTALL_TIMEOUT_MS);

  beforeEach(async () => {
    home = await createInspectorHome();
  });
  afterEach(() => home?.remove());
  afterAll(() => protectedStack?.stop());

  const target = (url: string) => ['--transport', 'http', '--server-url', url, '--format', 'json'];
  const echoCall = ['--method', 'tools/call', '--tool-name', 'echo', '--tool-arg', 'text=hi'];

  /** A development token for a resource (authz's /auth/token, loopback only). */
  async function devToken(resource: string, scope: string): Promise<string> {
    const response = await fetch(`${protectedStack.stack.baseUrl()}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resource, scope }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('lists and calls tools on both resources with a bearer header, seeing only what the token may use', async () => {
    const echoUrl = protectedStack.echoUrl();
    const echoHeader = `Authorization: Bearer ${await devToken(echoUrl, ALL_MCP_SCOPES.join(' '))}`;
    const listed = resultOf<{ tools: { name: string }[] }>(
      await runInspectorCli(
        [...target(echoUrl), '--header', echoHeader, '--method', 'tools/list'],
        home.env,
        CLI_TIMEOUT_MS,
      ),
    );
    expect(listed.tools.map((tool) => tool.name)).toEqual(['echo']);
    const echoed = await runInspectorCli([...target(echoUrl), '--header', echoHeader, ...echoCall], home.env);
    expect(textOf(resultOf(echoed))).toBe('echo: hi');

    const mcpUrl = protectedStack.stack.mcpUrl();
    const mcpHeader = `Authorization: Bearer ${await devToken(mcpUrl, ALL_MCP_SCOPES.join(' '))}`;
    const calculated = await runInspectorCli(
      [
        ...target(mcpUrl),
        '--header',
        mcpHeader,
        ...['--method', 'tools/call', '--tool-name', 'calculate', '--tool-arg', 'expression=2 + 3 * 4'],
      ],
      home.env,
      CLI_TIMEOUT_MS,
    );
    expect(textOf(resultOf(calculated))).toBe('14');
    // A header for one resource opens nothing at the other.
    const crossed = await runInspectorCli(
      [...target(mcpUrl), '--header', echoHeader, '--stored-auth-only', '--method', 'tools/list'],
      home.env,
      CLI_TIMEOUT_MS,
    );
    expect(crossed.code).not.toBe(0);
  }, 180_000);

  describe('with its own OAuth login', () => {
    let inbox: BrowserInbox;

    beforeEach(async () => {
      inbox = await openBrowserInbox();
    });
    afterEach(() => inbox?.close());

    it('discovers /echo/mcp’s authorization server, logs in for that resource and calls echo', async () => {
      const echoUrl = protectedStack.echoUrl();
      const callbackUrl = `http://127.0.0.1:${await reservePort()}/oauth/callback`;
      const cli = startInspectorCli(
        [...target(echoUrl), '--callback-url', callbackUrl, ...echoCall],
        { ...home.env, ...inbox.env },
        CLI_TIMEOUT_MS,
      );
      try {
        const authorizationUrl = await inbox.next(CLI_TIMEOUT_MS);
        expect(authorizationUrl.searchParams.get('resource')).toBe(echoUrl);
        const { redirect, consentPage } = await actAsUser(authorizationUrl);
        expect(consentPage?.text).toContain('Echo');
        expect((await fetch(redirect)).status).toBeLessThan(400);
      } catch (error) {
        cli.child.kill('SIGKILL');
        const output = await cli.done.catch((failure: unknown) => String(failure));
        throw new Error(`${String(error)}\nCLI output: ${JSON.stringify(output)}`, { cause: error });
      }
      expect(textOf(resultOf(await cli.done))).toBe('echo: hi');
    }, 150_000);
  });
});
