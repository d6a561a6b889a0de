import type { Page } from 'playwright-core';
import { withBrowser } from './support/browser';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

interface OpenApi {
  paths: Record<string, Record<string, { operationId: string; tags?: string[] }>>;
}

/**
 * The operations Swagger UI can try: JSON APIs. The rest are browser navigations and form posts of the sign-in
 * and consent pages (and provider callbacks), which run inside the Authorize flow below, not from a form here.
 */
const TRIED: [method: string, path: string, status: number][] = [
  ['get', '/.well-known/oauth-authorization-server', 200],
  ['get', '/.well-known/openid-configuration', 200],
  ['get', '/.well-known/jwks.json', 200],
  ['get', '/.well-known/oauth-protected-resource/mcp', 200],
  ['post', '/register', 201],
  ['post', '/auth/token', 200],
  ['post', '/introspect', 200],
  ['post', '/revoke', 200],
  ['get', '/healthz', 200],
  ['get', '/readyz', 200],
];
const PAGES = [
  'get /authorize',
  'post /authorize/decision',
  'post /login',
  'get /logout',
  'post /logout',
  'post /login/provider',
  'get /login/callback/{provider}',
  'get /.well-known/oauth-authorization-server/{path}',
  'get /.well-known/openid-configuration/{path}',
];

/** Runs Swagger UI's Authorize (code flow with PKCE as `swagger-ui`), approving in the popup it opens. */
async function authorize(page: Page): Promise<number> {
  await page.click('.auth-wrapper button.authorize');
  const oauth = page.locator('.auth-container', { hasText: 'oauth2 (OAuth2' });
  const token = page.waitForResponse((response) => new URL(response.url()).pathname === '/token');
  const [popup] = await Promise.all([
    page.context().waitForEvent('page'),
    oauth.locator('button.authorize').click(),
  ]);
  // Development auto-login signs the loopback user in; the consent page asks to approve.
  await popup.locator('button', { hasText: /approve/i }).click();
  const status = (await token).status();
  // Authorized: its button turns into Logout ("Remove authorization").
  await oauth.locator('button[aria-label="Remove authorization"]').waitFor();
  await page.locator('.modal-ux button.close-modal').click();
  return status;
}

/** Opens the operation, presses Try it out and Execute with its pre-filled example, answers the status shown. */
async function tryIt(
  page: Page,
  tag: string,
  operationId: string,
): Promise<{ status: number; body: string }> {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  await block.locator('.opblock-summary').first().click();
  const tryOut = block.locator('button.try-out__btn');
  const execute = block.locator('button.execute');
  // The block expands asynchronously: wait until it shows either button, rather than test visibility once.
  await tryOut.or(execute).first().waitFor();
  if (await tryOut.isVisible()) await tryOut.click();
  await execute.click();
  const status = block.locator('.live-responses-table .response .response-col_status');
  await status.waitFor();
  const body =
    (await block.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '';
  return { status: Number((await status.textContent())?.trim()), body };
}

/** README "Swagger UI": every example there is meant to be tried, and answers 2xx as it stands. */
describe('Swagger UI in Chromium', () => {
  let stack: Stack;
  let document: OpenApi;

  beforeAll(async () => {
    stack = await startStack();
    document = (await (await fetch(`${stack.baseUrl()}/docs-json`)).json()) as OpenApi;
  });
  afterAll(() => stack?.stop());

  it('lists every operation either as tried here or as a page of the Authorize flow', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    const tried = TRIED.map(([method, path]) => `${method} ${path}`);
    expect([...operations].sort()).toEqual([...tried, ...PAGES, 'post /token'].sort());
  });

  it('authorizes with PKCE, then answers 2xx to every example as it is pre-filled', async () => {
    await withBrowser('swagger-ui', async ({ page }) => {
      await page.goto(`${stack.baseUrl()}/docs/`);
      await page.locator('.swagger-ui .information-container').waitFor();
      // POST /token, from Swagger UI itself: the code exchange of its Authorize flow.
      expect(await authorize(page)).toBe(200);
      const results: string[] = [];
      for (const [method, path, expected] of TRIED) {
        const operation = document.paths[path][method];
        const { status, body } = await tryIt(page, operation.tags?.[0] ?? 'default', operation.operationId);
        results.push(
          `${method.toUpperCase()} ${path} ${status}${status === expected ? '' : ` ${body.slice(0, 200)}`}`,
        );
      }
      expect(results).toEqual(
        TRIED.map(([method, path, status]) => `${method.toUpperCase()} ${path} ${status}`),
      );
    });
  });
});
