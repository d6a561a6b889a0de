import type { ClientRecord } from '@app/oauth-store';
import type { ClientIdentity } from './pages/client-identity';
import { isLoopbackHost } from './redirect-uri';

/** What the consent page says about a client, from its record and the redirect chosen for this request. */
export function clientIdentityOf(client: ClientRecord, redirectUri: string): ClientIdentity {
  const redirect = new URL(redirectUri);
  const webRedirect = redirect.protocol === 'http:' || redirect.protocol === 'https:';
  return {
    name: client.clientName ?? client.clientId,
    clientId: client.clientId,
    provenance: client.preRegistered
      ? 'configured'
      : client.documentHost !== undefined
        ? 'document'
        : 'registered',
    documentHost: client.documentHost,
    // An app's private-use scheme is named with its scheme, so `cursor://...` does not read as a web host.
    redirectHost: webRedirect ? redirect.host : `${redirect.protocol}//${redirect.host}`,
    localhostOnly: client.redirectUris.every((uri) => {
      const url = URL.parse(uri);
      return url !== null && url.protocol === 'http:' && isLoopbackHost(url.hostname);
    }),
  };
}
