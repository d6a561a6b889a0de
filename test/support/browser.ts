import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fromRoot } from './paths';

/** Debian's chromium: nothing downloads a browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export const OUTPUT_DIR = fromRoot('test-output/e2e');

export interface BrowserSession {
  page: Page;
  /** Saves `test-output/e2e/<name>-<label>.png`, whatever the outcome; returns its path. */
  screenshot(label: string): Promise<string>;
  consoleLog(): string[];
}

/**
 * Runs `fn` with a fresh headless Chromium page. The page's console and errors are recorded; if `fn`
 * throws, a screenshot and the console log are written under test-output/e2e before the error goes on.
 */
export async function withBrowser<T>(name: string, fn: (session: BrowserSession) => Promise<T>): Promise<T> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const log: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Only loopback exists here: requests elsewhere (the Inspector's web fonts) are dropped before any
    // DNS lookup instead of leaking out.
    await context.route(
      (url) => !LOOPBACK_HOSTNAMES.has(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    page.on('console', (message) => log.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => log.push(`[pageerror] ${error.message}`));
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) log.push(`[navigated] ${frame.url()}`);
    });
    const session: BrowserSession = {
      page,
      async screenshot(label) {
        const path = join(OUTPUT_DIR, `${name}-${label}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      consoleLog: () => [...log],
    };
    try {
      return await fn(session);
    } catch (error) {
      await page
        .screenshot({ path: join(OUTPUT_DIR, `${name}-failure.png`), fullPage: true })
        .catch(() => undefined);
      writeFileSync(
        join(OUTPUT_DIR, `${name}-failure-console.log`),
        `${log.join('\n')}\n\n${String(error)}\n`,
      );
      throw error;
    }
  } finally {
    await browser.close();
  }
}
