import { escapeHtml } from './layout';

/** Who vouches for a client's name. */
export type ClientProvenance = 'configured' | 'registered' | 'document';

export interface ClientIdentity {
  name: string;
  clientId: string;
  provenance: ClientProvenance;
  /** Metadata-document clients: the host that published the document (CIMD §8.5). */
  documentHost?: string;
  /** Where the browser goes with the code: a host, or an app's private-use scheme. */
  redirectHost: string;
  /** Every redirect of the client points at this computer (loopback). */
  localhostOnly: boolean;
}

/**
 * The heading: the name when someone vouches for it (the operator configured the client, or its host publishes
 * the document), the redirect host when the name is only self-asserted (RFC 7591 §5: dynamically registered
 * names are not verified, so "Claude Desktop (official)" must not become a trusted heading).
 */
export function identityHeading(identity: ClientIdentity): string {
  if (identity.provenance === 'registered')
    return `An app at <strong class="redirect-host">${escapeHtml(identity.redirectHost)}</strong> wants to access your MCP server`;
  return `<strong>${escapeHtml(identity.name)}</strong> wants to access your MCP server`;
}

/** The page title, by the same rule as the heading. */
export const identityTitle = (identity: ClientIdentity) =>
  identity.provenance === 'registered'
    ? `Authorize an app at ${identity.redirectHost}`
    : `Authorize ${identity.name}`;

/** The lines under the heading that say what is and is not known about the client. */
export function renderClientIdentity(identity: ClientIdentity): string {
  const name = escapeHtml(identity.name);
  const lines: string[] = [];
  if (identity.provenance === 'configured') {
    lines.push(`<p class="muted" id="client-provenance">Configured by this server's operator.</p>`);
  } else if (identity.provenance === 'document') {
    lines.push(
      `<p id="client-provenance">Published by <strong class="document-host">${escapeHtml(identity.documentHost ?? '')}</strong> (client metadata document).</p>`,
    );
  } else {
    lines.push(
      `<p class="warning" id="client-provenance">Unverified app: it calls itself &ldquo;${name}&rdquo;, but it registered itself and nobody has checked that name.</p>`,
    );
  }
  lines.push(
    `<p>After you decide, you will be sent to <strong class="redirect-host">${escapeHtml(identity.redirectHost)}</strong>.</p>`,
  );
  if (identity.localhostOnly && identity.provenance !== 'configured') {
    lines.push(
      '<p class="warning" id="localhost-warning">This app receives the authorization on this computer only (localhost). Approve only if you started it yourself just now.</p>',
    );
  }
  lines.push(`<p class="muted">Client <code>${escapeHtml(identity.clientId)}</code></p>`);
  return lines.join('\n');
}
