import { MCP_SCOPE_DESCRIPTIONS, isMcpScope } from '@app/scopes';
import { OFFLINE_ACCESS } from '../../common/grantable-scopes';
import { identityHeading, identityTitle, renderClientIdentity, type ClientIdentity } from './client-identity';
import { escapeHtml, page } from './layout';

export interface ConsentPageModel {
  action: string;
  interactionId: string;
  client: ClientIdentity;
  scopes: string[];
  /** The resource being granted (RFC 8707): its URL, and its name and description from the resources file. */
  resource: string;
  resourceName?: string;
  resourceDescription?: string;
  subject: string;
  /** The identity provider the user signed in with, by display name. */
  provider?: string;
  /** Where "Sign out" posts (`interaction_id`); absent: no sign-out link. */
  logoutAction?: string;
  previouslyApproved: boolean;
}

/**
 * The consent form. Shape (stable; end-to-end tests and the Inspector hook post it): POST `<issuer>/authorize/
 * decision`, form-encoded, fields `interaction_id` and `decision` = `approve` | `deny` (the two buttons).
 */
export function renderConsentPage(model: ConsentPageModel): string {
  const scopes = model.scopes
    .map((scope) => {
      const words = isMcpScope(scope)
        ? MCP_SCOPE_DESCRIPTIONS[scope]
        : scope === OFFLINE_ACCESS
          ? 'Stay connected when you are not using it (refresh tokens)'
          : scope;
      return `<li>${escapeHtml(words)} <code>${escapeHtml(scope)}</code></li>`;
    })
    .join('\n');
  return page(
    identityTitle(model.client),
    `<h1>${identityHeading(model.client)}</h1>
${renderClientIdentity(model.client)}
<p>Signed in as <strong>${escapeHtml(model.subject)}</strong>${
      model.provider ? ` via <strong>${escapeHtml(model.provider)}</strong>` : ''
    }. It will be able to:</p>
<ul>
${scopes}
</ul>
${renderResource(model)}
${model.previouslyApproved ? '<p class="muted">You approved this client before.</p>' : ''}
<form method="post" action="${escapeHtml(model.action)}">
<input type="hidden" name="interaction_id" value="${escapeHtml(model.interactionId)}">
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="approve" class="primary" autofocus>Approve</button>
</div>
</form>
${
  model.logoutAction
    ? `<form method="post" action="${escapeHtml(model.logoutAction)}">
<input type="hidden" name="interaction_id" value="${escapeHtml(model.interactionId)}">
<p class="muted">Not you? <button type="submit" class="link">Sign out</button></p>
</form>`
    : ''
}`,
  );
}

/** What the token will be good for: the resource by name (and what it is), then its exact URL. */
function renderResource(model: ConsentPageModel): string {
  const url = `<code>${escapeHtml(model.resource)}</code>`;
  if (!model.resourceName) return `<p class="muted">Resource: ${url}</p>`;
  const description = model.resourceDescription ? ` (${escapeHtml(model.resourceDescription)})` : '';
  return `<p>On <strong>${escapeHtml(model.resourceName)}</strong>${description}: ${url}</p>`;
}
