import type { Response } from 'express';

/** RFC 6749 §5.1: responses carrying tokens or credentials must not be cached. */
export function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
}
