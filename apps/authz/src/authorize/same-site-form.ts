import type { Request } from 'express';
import { InvalidRequestError } from '@app/oauth-errors';
import { AuthorizationPageError } from './authorization-request';

/** Fetch Metadata: a browser marks cross-site form posts; those never come from our own pages. */
export function assertSameSiteForm(req: Request): void {
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new AuthorizationPageError(new InvalidRequestError('Cross-site form submissions are refused.'));
  }
}
