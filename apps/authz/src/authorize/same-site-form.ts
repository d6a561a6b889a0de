import type { Request } from 'express';
import { InvalidRequestError } from '@app/oauth-errors';
import { AuthorizationPageError } from './authorization-request';

/**
 * The sign-in and consent forms post only to the origin that served them. Fetch Metadata: a browser marks
 * cross-site posts (`Sec-Fetch-Site: cross-site`). Browsers without it still send `Origin` (RFC 6454 §7): one
 * naming another site is refused too. `Origin: null` and no Origin pass, since the pages send no referrer
 * (Referrer-Policy: no-referrer, which makes browsers post `Origin: null`); for those the interaction id, a
 * single-use 256-bit secret bound to the request, is the defence, as it is for every post.
 */
export function assertSameSiteForm(req: Request): void {
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new AuthorizationPageError(new InvalidRequestError('Cross-site form submissions are refused.'));
  }
  const origin = req.headers.origin;
  // req.protocol and req.host follow X-Forwarded-Proto/-Host only from trusted proxies (AUTHZ_TRUST_PROXY).
  if (
    origin !== undefined &&
    origin !== 'null' &&
    origin.toLowerCase() !== `${req.protocol}://${req.host}`.toLowerCase()
  ) {
    throw new AuthorizationPageError(
      new InvalidRequestError('Form submissions from another origin are refused.'),
    );
  }
}
