import type { OAuthError } from '@app/oauth-errors';
import { escapeHtml, page } from './layout';

/** Shown instead of redirecting when the client or its redirect URI cannot be trusted (RFC 6749 §4.1.2.1). */
export function renderErrorPage(error: OAuthError): string {
  const { error: code, error_description: description } = error.toResponseObject();
  return page(
    'Authorization error',
    `<h1>This authorization request cannot continue</h1>
<p>Error: <code id="error">${escapeHtml(code)}</code></p>
${description ? `<p id="error_description">${escapeHtml(description)}</p>` : ''}
<p class="muted">Return to the application and try again.</p>`,
  );
}

export function renderSignedOutPage(): string {
  return page('Signed out', '<h1>Signed out</h1><p>No session is kept; every authorization asks again.</p>');
}
