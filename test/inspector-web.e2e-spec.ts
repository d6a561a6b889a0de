import { withBrowser } from './support/browser';
import {
  createInspectorHome,
  ensureInspectorInstalled,
  INSTALL_TIMEOUT_MS,
  startInspectorWeb,
  type InspectorHome,
  type InspectorWeb,
} from './support/inspector';
import { reservePort } from './support/ports';
import { startStack, type Stack } from './support/stack';
import { startTestIdp, type TestIdp } from './support/test-idp';

const STEP_TIMEOUT_MS = 30_000;

/**
 * The pinned MCP Inspector 2.12.0 web UI in headless Debian Chromium: a person opens it for
 * `<gateway>/mcp` with Streamable HTTP, approves the consent page, lists the tools and runs `calculate`.
 */
describe('MCP Inspector web UI through the gateway', () => {
  let home: InspectorHome;
  let web: InspectorWeb;
  let stack: Stack;
  // The provider case's stack: stopped with the others, once the Inspector has closed its connections to it.
  let idp: TestIdp | undefined;
  let federated: Stack | undefined;

  beforeAll(async () => {
    ensureInspectorInstalled();
    home = await createInspectorHome();
    web = await startInspectorWeb(home);
    // The UI's own backend makes the MCP and OAuth requests (no browser CORS involved), and it registers
    // its redirect URI dynamically, so the default stack config serves a UI on any port.
    stack = await startStack();
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await web?.stop();
    await stack?.stop();
    await federated?.stop();
    await idp?.stop();
    await home?.remove();
  });

  it('completes OAuth by approving the consent page, lists tools and runs calculate', async () => {
    await withBrowser('inspector-web', async ({ page, screenshot }) => {
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const authorizePrefix = `${stack.baseUrl()}/authorize`;

      // The deep link adds the server (Streamable HTTP) and connects; the 401 starts the OAuth flow.
      await page.goto(web.deepLink(stack.mcpUrl()));
      await page.waitForURL((url) => url.href.startsWith(authorizePrefix));
      const approve = page.getByRole('button', { name: /approve/i });
      await approve.waitFor();
      await page.getByText('wants to access your MCP server').waitFor();
      await page.getByText(stack.mcpUrl(), { exact: true }).waitFor();
      await screenshot('consent');
      await approve.click();

      // Back on the Inspector's /oauth/callback, which redeems the code and connects.
      await page.waitForURL((url) => url.origin === web.origin);
      const status = page.locator('[data-testid="connection-status"]');
      await page
        .locator('[data-testid="connection-status"]:is([data-status="connected"], [data-status="error"])')
        .waitFor();
      expect({
        status: await status.getAttribute('data-status'),
        error: await status.getAttribute('data-error-message'),
      }).toEqual({ status: 'connected', error: null });

      // Tools tab: the list comes from tools/list through the gateway with the new token.
      await page.locator('header').getByText('Tools', { exact: true }).click();
      const tools = page.locator('[data-testid="tools-screen"]');
      for (const name of ['calculate', 'add', 'statistics', 'list_directory']) {
        await tools.getByText(name, { exact: true }).waitFor();
      }
      await tools.getByText('calculate', { exact: true }).click();
      await tools.getByRole('textbox', { name: 'expression' }).fill('2 + 3 * 4');
      await tools.getByRole('button', { name: 'Execute Tool' }).click();
      await tools.getByText('Results', { exact: true }).waitFor();
      await tools.getByText('14', { exact: true }).first().waitFor();
      await screenshot('result');
    });
  }, 150_000);

  describe('with an identity provider as the only sign-in', () => {
    beforeAll(async () => {
      const gatewayPort = await reservePort();
      idp = await startTestIdp({
        redirectUris: [`http://localhost:${gatewayPort}/login/callback/corp`],
        users: [{ login: 'dana', email: 'dana@corp.example', name: 'Dana Corp' }],
      });
      federated = await startStack({
        gatewayPort,
        authz: {
          AUTHZ_OIDC_PROVIDERS: JSON.stringify([
            {
              id: 'corp',
              name: 'Corp SSO',
              issuer: idp.issuer,
              clientId: idp.clientId,
              clientSecret: idp.clientSecret,
            },
          ]),
          AUTHZ_ACCESS_RULES: JSON.stringify({ domains: ['corp.example'] }),
        },
      });
    });

    it("signs in on the provider's own login page, approves, and runs calculate", async () => {
      await withBrowser('inspector-web-idp', async ({ page, screenshot }) => {
        page.setDefaultTimeout(STEP_TIMEOUT_MS);

        // /authorize sends the browser straight to the provider, whose login form the person fills in.
        await page.goto(web.deepLink(federated!.mcpUrl()));
        await page.waitForURL((url) => url.origin === idp!.issuer);
        await page.locator('input[name="login"]').fill('dana');
        await page.locator('input[name="password"]').fill('correct horse battery staple');
        await screenshot('provider-login');
        await page.getByRole('button', { name: 'Sign-in' }).click();
        await page.getByRole('button', { name: 'Continue' }).click();

        // Back at the gateway: its consent page names the person and the provider.
        await page.waitForURL((url) => url.href.startsWith(`${federated!.baseUrl()}/login/callback/corp`));
        await page.getByText('Signed in as').waitFor();
        expect(await page.locator('main').innerText()).toContain(
          'Signed in as Dana Corp (dana@corp.example) via Corp SSO',
        );
        await screenshot('consent');
        await page.getByRole('button', { name: /approve/i }).click();

        await page.waitForURL((url) => url.origin === web.origin);
        const status = page.locator('[data-testid="connection-status"]');
        await page
          .locator('[data-testid="connection-status"]:is([data-status="connected"], [data-status="error"])')
          .waitFor();
        expect({
          status: await status.getAttribute('data-status'),
          error: await status.getAttribute('data-error-message'),
        }).toEqual({ status: 'connected', error: null });
        await page.locator('header').getByText('Tools', { exact: true }).click();
        const tools = page.locator('[data-testid="tools-screen"]');
        await tools.getByText('calculate', { exact: true }).click();
        await tools.getByRole('textbox', { name: 'expression' }).fill('6 * 7');
        await tools.getByRole('button', { name: 'Execute Tool' }).click();
        await tools.getByText('42', { exact: true }).first().waitFor();
        await screenshot('result');
      });
    }, 150_000);
  });
});
