import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromRoot } from './paths';

export interface BrowserInbox {
  /** Environment for a CLI whose "browser" should hand URLs to this test (via xdg-open's $BROWSER). */
  env: Record<string, string>;
  /** The next URL the CLI asked to open. */
  next(timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

const HOOK = fromRoot('test/support/browser-hook.cjs');

/**
 * A loopback endpoint that receives the URLs a CLI tries to open in a browser. The `open` package the
 * Inspector uses runs xdg-open, which, with no desktop session, runs `$BROWSER <url>`: our hook script.
 */
export async function openBrowserInbox(): Promise<BrowserInbox> {
  const received: URL[] = [];
  const waiters: ((url: URL) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        const url = new URL(body.trim());
        const waiter = waiters.shift();
        if (waiter) waiter(url);
        else received.push(url);
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    env: {
      BROWSER: `${process.execPath} ${HOOK}`,
      E2E_BROWSER_INBOX: `http://127.0.0.1:${port}/`,
      // The Inspector opens a browser only on a TTY unless told to; xdg-open must not find a desktop.
      MCP_AUTO_OPEN_ENABLED: 'true',
    },
    next(timeoutMs = 30_000) {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolveUrl, reject) => {
        const waiter = (url: URL) => {
          clearTimeout(timer);
          resolveUrl(url);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('the CLI never opened a browser'));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}
