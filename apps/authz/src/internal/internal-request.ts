import type { IncomingMessage } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '@app/oauth-errors';

/**
 * The rule of authz's private endpoints (/internal/*, for resource servers on the internal network): a request
 * that came through a proxy (X-Forwarded-For) is answered as if nothing were here, whatever its method. The
 * gateway never routes /internal; this is defence in depth. Then only the listed methods (RFC 9110 §15.5.6).
 */
export function assertInternalRequest(req: IncomingMessage, allow: 'GET' | 'GET, HEAD' | 'GET, POST'): void {
  if (req.headers['x-forwarded-for'] !== undefined) throw new NotFoundError('No such endpoint.');
  const method = req.method ?? '';
  if (method !== 'GET' && !(method === 'HEAD' && allow === 'GET, HEAD')) {
    throw new MethodNotAllowedError('Use GET.', allow);
  }
}
