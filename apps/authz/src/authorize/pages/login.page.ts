import { escapeHtml, page } from './layout';

export interface LoginPageModel {
  action: string;
  interactionId: string;
  clientName: string;
  username?: string;
  error?: string;
}

/** Sign-in form: POST `<issuer>/login`, fields `interaction_id`, `username`, `password`. */
export function renderLoginPage(model: LoginPageModel): string {
  return page(
    'Sign in',
    `<h1>Sign in to continue to <strong>${escapeHtml(model.clientName)}</strong></h1>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
<form method="post" action="${escapeHtml(model.action)}">
<input type="hidden" name="interaction_id" value="${escapeHtml(model.interactionId)}">
<label for="username">User name</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(model.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
  );
}
