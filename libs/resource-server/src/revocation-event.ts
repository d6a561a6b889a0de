/**
 * THE wire format of revocations between authz and the resource servers, in one place for both ends: the events
 * of the internal stream (`GET /internal/revocations`, text/event-stream) and of the Redis channel (cluster mode)
 * are the same JSON objects, one per message.
 */

/** authz's private endpoints a resource server calls; the gateway never routes /internal. */
export const REVOCATION_STREAM_PATH = '/internal/revocations';
export const GRANT_STATUS_PATH_PREFIX = '/internal/grants/';

/** Redis pub/sub channel (cluster mode), under the store's `authz:` key prefix. */
export const REVOCATION_CHANNEL = 'authz:revocations';

/** What authz knows about a grant: `unknown` covers expired, never issued and lost with a store. */
export type GrantState = 'active' | 'revoked' | 'unknown';
export const GRANT_STATES: readonly GrantState[] = ['active', 'revoked', 'unknown'];

export type RevocationEvent =
  /**
   * First event of every stream, and published on the channel when an authz instance starts: `epoch` is that
   * process's random id, so a resource server can tell an authz restart (whose store may have been lost) from
   * a reconnect. `heartbeat_ms` (stream only): a comment line comes at least this often.
   */
  | { type: 'hello'; epoch: string; heartbeat_ms?: number }
  /** Every token of the grant is refused from now on (RFC 7009 §2.1, code replay, refresh reuse). */
  | { type: 'grant-revoked'; grant_id: string }
  /** Every token of the client issued at or before `at` (seconds) is refused from now on. */
  | { type: 'client-revoked'; client_id: string; at: number }
  /**
   * authz's signing keys changed (a rotation): fetch the JWKS again, so a token of the new key verifies from its
   * first use instead of after the JWKS cooldown.
   */
  | { type: 'keys-changed' };

/** Grant ids are authz's random base64url strings; anything else never reaches a URL or a cache. */
export function isGrantId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(value);
}

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 256;
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The event, or undefined for anything malformed (ignored: a resource server never trusts a guess). */
export function parseRevocationEvent(text: string): RevocationEvent | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  switch (value.type) {
    case 'hello':
      if (!isId(value.epoch)) return undefined;
      return isTime(value.heartbeat_ms)
        ? { type: 'hello', epoch: value.epoch, heartbeat_ms: value.heartbeat_ms }
        : { type: 'hello', epoch: value.epoch };
    case 'grant-revoked':
      return isGrantId(value.grant_id) ? { type: 'grant-revoked', grant_id: value.grant_id } : undefined;
    case 'keys-changed':
      return { type: 'keys-changed' };
    case 'client-revoked':
      return isId(value.client_id) && isTime(value.at)
        ? { type: 'client-revoked', client_id: value.client_id, at: value.at }
        : undefined;
    default:
      return undefined;
  }
}
