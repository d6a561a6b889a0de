import type { IncomingMessage } from 'node:http';
import { resolveRequestBaseUrl, type PublicUrlSettings } from '@app/config';

/** The public base URL for this request's alias, computed once and remembered on the request. */
export function publicBaseOf(
  req: IncomingMessage & { publicBaseUrl?: string },
  settings: PublicUrlSettings,
): string {
  req.publicBaseUrl ??= resolveRequestBaseUrl(settings, req.headers);
  return req.publicBaseUrl;
}
