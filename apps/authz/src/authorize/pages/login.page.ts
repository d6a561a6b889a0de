import { escapeHtml, page } from './layout';

export interface LoginPageModel {
  action: string;
  interactionId: string;
  clientName: string;
  username?: string;
  error?: string;
  /** Upstream identity providers, each a button that posts to `providerAction`. */
  providers?: { id: string; name: string }[];
  providerAction?: string;
  /** The local user-name form (AUTHZ_USERS, or no provider configured). */
  localUsers?: boolean;
}

/**
 * Sign-in choices. Each provider: POST `<issuer>/login/provider`, fields `interaction_id` and `provider` (the
 * button). Local users: POST `<issuer>/login`, fields `interaction_id`, `username`, `password`.
 */
export function renderLoginPage(model: LoginPageModel): string {
  const providers = (model.providers ?? [])
    .map(
      (provider) => `<form method="post" action="${escapeHtml(model.providerAction ?? '')}">
<input type="hidden" name="interaction_id" value="${escapeHtml(model.interactionId)}">
<div class="actions"><button type="submit" name="provider" value="${escapeHtml(provider.id)}" class="primary">Continue with ${escapeHtml(provider.name)}</button></div>
</form>`,
    )
    .join('\n');
  const local =
    model.localUsers === false
      ? ''
      : `${providers ? '<p class="muted">Or with a local account:</p>' : ''}
<form method="post" action="${escapeHtml(model.action)}">
<input type="hidden" name="interaction_id" value="${escapeHtml(model.interactionId)}">
<label for="username">User name</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(model.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
  return page(
    'Sign in',
    `<h1>Sign in to continue to <strong>${escapeHtml(model.clientName)}</strong></h1>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
${providers}
${local}`,
  );
}
