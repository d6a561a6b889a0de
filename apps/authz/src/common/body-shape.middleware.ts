import type { NextFunction, Request, Response } from 'express';
import { InvalidRequestError } from '@app/oauth-errors';

/**
 * OAuth requests (RFC 6749 §3.2, RFC 7009, RFC 7662) and RFC 7591 metadata are flat: an object of strings,
 * numbers and arrays of those. Anything nested deeper is refused here, before class-transformer walks it
 * recursively: a few kilobytes of `[[[[...]]]]` would otherwise exhaust the stack and end in a 500. The limit
 * leaves room for structured metadata some clients send and this server ignores (a `jwks` with `x5c`).
 */
const MAX_DEPTH = 6;

function nestedTooDeeply(body: unknown): boolean {
  const pending: Array<[unknown, number]> = [[body, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Express middleware placed right after the body parsers. */
export function requireFlatBody(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (Array.isArray(body)) {
    next(new InvalidRequestError('The request body must be an object.'));
    return;
  }
  next(nestedTooDeeply(body) ? new InvalidRequestError('The request body is nested too deeply.') : undefined);
}
