import type { InteractionRecord } from '@app/oauth-store';
import { isLoopbackHost } from './redirect-uri';

/**
 * Where a redirect URI delivers the code: scheme and host, and the port unless it is a loopback one (RFC 8252
 * §7.3 lets that change on every run).
 */
export function redirectTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  const host = isLoopbackHost(url.hostname) ? url.hostname : url.host;
  return `${url.protocol}//${host}`;
}

/**
 * The client a consent is remembered for. One metadata-document client_id is shared by every installation of
 * the app (CIMD: the document is public), so for those the consent also names where the code goes: approving
 * the app for claude.ai says nothing about a copy that sends codes to another host.
 */
export function consentClientKey(
  interaction: Pick<InteractionRecord, 'clientId' | 'redirectUri' | 'clientSnapshot'>,
): string {
  if (interaction.clientSnapshot?.documentHost === undefined) return interaction.clientId;
  // A space never occurs in a URL client_id, so the key cannot collide with a real client id.
  return `${interaction.clientId} ${redirectTarget(interaction.redirectUri)}`;
}
