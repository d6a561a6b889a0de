import type { RefreshTokenRecord } from './records';

export type RotationDecision = 'rotated' | 'grace' | 'reused';

/**
 * The refresh rotation rule every backend applies atomically (the Redis backend in Lua, mirroring this).
 *
 * RFC 9700 §4.14.2: a refresh token is single use, and a spent one presented again means it leaked, so the
 * grant goes. Real clients race, though (two tabs, a retried request whose answer was lost), so a spent token
 * stays usable for `graceMs` after its first use, until a token issued from it has been used, whichever comes
 * first. A fresh token whose parent's chain was already continued by a sibling lost that race long ago: it is
 * treated as reuse too, so a grant always converges on one chain.
 */
export function decideRotation(
  presented: RefreshTokenRecord,
  parent: RefreshTokenRecord | undefined,
  now: number,
  graceMs: number,
): RotationDecision {
  if (presented.consumedAt === undefined) {
    const continuedBySibling =
      parent?.successorUsedId !== undefined && parent.successorUsedId !== presented.id;
    return continuedBySibling ? 'reused' : 'rotated';
  }
  if (presented.successorUsedId !== undefined) return 'reused';
  return now - presented.consumedAt < graceMs ? 'grace' : 'reused';
}
