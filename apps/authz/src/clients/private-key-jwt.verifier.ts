import { Injectable } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { InvalidClientError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import { sha256 } from '../common/random';
import { GuardedHttpClient } from '../outbound/guarded-http.client';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../common/asymmetric-algorithms';
import { OutboundFetchError } from '../outbound/outbound-fetch.error';
import { ClientAssertionReplayCache } from './client-assertion-replay.cache';

export const CLIENT_ASSERTION_ALGORITHMS = ASYMMETRIC_JWS_ALGORITHMS;

/** Assertions live briefly; a longer `exp` would also make the replay cache hold them longer. */
const MAX_LIFETIME_SECONDS = 600;
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_JWKS_BYTES = 32 * 1024;

/** jose's reasons, in words a client developer can act on. */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `its "${error.claim}" claim is wrong (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key in the client metadata matches it';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not allowed';
  if (error instanceof errors.JOSEError) return `it cannot be verified (${error.code})`;
  if (error instanceof OutboundFetchError)
    return `the keys at jwks_uri could not be fetched: ${error.message}`;
  return 'its keys could not be read';
}

/**
 * private_key_jwt client authentication (RFC 7523 §2.2 and §3, OpenID Connect Core §9): a JWT signed with a key
 * the client published in its metadata document (CIMD §8.2), `iss` = `sub` = client_id, `aud` = this server's
 * token endpoint or issuer, a short `exp`, and a `jti` that is never accepted twice.
 */
@Injectable()
export class PrivateKeyJwtVerifier {
  private readonly remoteKeySets = new LRUCache<string, JWTVerifyGetKey>({ max: 500 });

  constructor(
    private readonly http: GuardedHttpClient,
    private readonly replays: ClientAssertionReplayCache,
  ) {}

  async verify(client: ClientRecord, assertion: string, audiences: string[]): Promise<void> {
    const invalid = (why: string) => new InvalidClientError(`The client assertion is invalid: ${why}.`);
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, this.keysOf(client), {
        algorithms: CLIENT_ASSERTION_ALGORITHMS,
        issuer: client.clientId,
        subject: client.clientId,
        audience: audiences,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      throw invalid(reason(error));
    }
    const now = Math.floor(Date.now() / 1000);
    if (payload.exp! > now + MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
      throw invalid(`its exp is more than ${MAX_LIFETIME_SECONDS} seconds ahead`);
    const key = sha256(JSON.stringify([client.clientId, payload.jti]));
    if (!(await this.replays.firstUse(key, (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000)))
      throw invalid('its jti was already used');
  }

  private keysOf(client: ClientRecord): JWTVerifyGetKey {
    if (client.jwks) return createLocalJWKSet(client.jwks as Parameters<typeof createLocalJWKSet>[0]);
    if (!client.jwksUri) throw new InvalidClientError('The client metadata publishes no keys.');
    let keys = this.remoteKeySets.get(client.jwksUri);
    if (!keys) {
      // Fetched through the same SSRF guard as the document itself (CIMD §8.6 covers URLs inside it).
      keys = createRemoteJWKSet(new URL(client.jwksUri), {
        [customFetch]: this.http.asFetch(MAX_JWKS_BYTES),
      });
      this.remoteKeySets.set(client.jwksUri, keys);
    }
    return keys;
  }
}
