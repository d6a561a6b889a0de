import type { IncomingMessage } from 'node:http';
import { resolvePublicBaseUrl, type PublicUrlSettings } from '@app/config';

/** The public base URL for this request's alias, computed once and remembered on the request. */
export function publicBaseOf(
  req: IncomingMessage & { publicBaseUrl?: string },
  settings: PublicUrlSettings,
): string {
  req.publicBaseUrl ??= resolvePublicBaseUrl(settings, {
    forwardedHost: req.headers['x-forwarded-host'],
    forwardedProto: req.headers['x-forwarded-proto'],
    host: req.headers.host,
  });
  return req.publicBaseUrl;
}
