import type { OAuthError } from '@app/oauth-errors';
import { escapeHtml, page } from './layout';

/**
 * Shown instead of redirecting when the client or its redirect URI cannot be trusted (RFC 6749 §4.1.2.1,
 * RFC 9700 §4.11.2). With `returnTo` (the error response for a registered but untrusted redirect URI) the user
 * sees where the link leads and decides whether to follow it.
 */
export function renderErrorPage(error: OAuthError, returnTo?: string): string {
  const { error: code, error_description: description } = error.toResponseObject();
  const back = returnTo
    ? `<p>Return to <a id="return" href="${escapeHtml(returnTo)}" rel="noreferrer">${escapeHtml(
        new URL(returnTo).host,
      )}</a> only if you trust it.</p>`
    : '<p class="muted">Return to the application and try again.</p>';
  return page(
    'Authorization error',
    `<h1>This authorization request cannot continue</h1>
<p>Error: <code id="error">${escapeHtml(code)}</code></p>
${description ? `<p id="error_description">${escapeHtml(description)}</p>` : ''}
${back}`,
  );
}

export function renderSignedOutPage(): string {
  return page(
    'Signed out',
    '<h1>Signed out</h1><p>No session is kept here; return to the app to sign in again, as anyone.</p>',
  );
}
