#!/usr/bin/env node
// The "browser" a CLI opens for OAuth (xdg-open runs `$BROWSER <url>`): it hands the URL to the test
// that is playing the user (see browser-inbox.ts), which follows /authorize and approves the consent.
/* global process, fetch */
'use strict';

const url = process.argv[2];
const inbox = process.env.E2E_BROWSER_INBOX;
if (!url || !inbox) {
  process.stderr.write('usage: E2E_BROWSER_INBOX=<url> browser-hook.cjs <url-to-open>\n');
  process.exit(2);
}
fetch(inbox, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: url }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
