import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveRequestBaseUrl, type PublicUrlSettings } from '@app/config';
import { writeJson } from '@app/runtime';
import { scopesSupported, type ProtectedResource } from '@app/protected-resources';

const HEADERS = {
  'Cache-Control': 'public, max-age=300',
  // Built on the alias the client used, so shared caches must key on the host headers.
  Vary: 'Host, X-Forwarded-Host, X-Forwarded-Proto',
};

/**
 * RFC 9728 §2 Protected Resource Metadata of a resource whose upstream does not verify tokens, written by the
 * gateway on the alias the client used, so `resource` is the URL it connected to (§3.3) and the authorization
 * server the issuer it will discover. `resource_name` is the resources file's `name`.
 */
export function protectedResourceMetadata(resource: ProtectedResource, base: string) {
  return {
    resource: `${base}${resource.path}`,
    authorization_servers: [base],
    scopes_supported: scopesSupported(resource),
    bearer_methods_supported: ['header'],
    resource_name: resource.name,
  };
}

/** GET (and HEAD) only; anything else is 405 with `Allow` (RFC 9110 §15.5.6). */
export function answerResourceMetadata(
  req: IncomingMessage,
  res: ServerResponse,
  resource: ProtectedResource,
  settings: PublicUrlSettings,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return writeJson(
      res,
      405,
      { error: 'invalid_request', error_description: 'Resource metadata is read with GET' },
      { Allow: 'GET, HEAD', 'Cache-Control': 'no-store' },
    );
  }
  writeJson(
    res,
    200,
    protectedResourceMetadata(resource, resolveRequestBaseUrl(settings, req.headers)),
    HEADERS,
  );
}
