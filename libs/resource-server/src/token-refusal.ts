import type { BearerErrorCode } from '@app/oauth-errors';
import { RETRY_AFTER_SECONDS } from './resource-server.options';

/**
 * Why a request gets no access. `unauthorized`: a 401 Bearer challenge, `error` as in RFC 6750 §3.1 (undefined
 * when the request carried no credentials). `unavailable`: authz could not be asked, so the resource server
 * fails closed with 503 and Retry-After, without telling the client its token is bad.
 */
export type TokenRefusal =
  | {
      readonly kind: 'unauthorized';
      readonly error: BearerErrorCode | undefined;
      readonly description: string;
    }
  | { readonly kind: 'unavailable'; readonly description: string; readonly retryAfterSeconds: number };

export const unauthorized = (error: BearerErrorCode | undefined, description: string): TokenRefusal =>
  Object.freeze({ kind: 'unauthorized', error, description });

const unavailable = (description: string): TokenRefusal =>
  Object.freeze({ kind: 'unavailable', description, retryAfterSeconds: RETRY_AFTER_SECONDS });

/** The refusals with a fixed text, allocated once. */
export const REFUSALS = {
  revoked: unauthorized('invalid_token', 'the access token has been revoked'),
  unknownGrant: unauthorized(
    'invalid_token',
    'the authorization server does not know the grant of the access token',
  ),
  keysUnavailable: unavailable('The authorization server could not be reached to verify the token'),
  statusUnavailable: unavailable('The authorization server could not confirm the token status'),
} as const;
