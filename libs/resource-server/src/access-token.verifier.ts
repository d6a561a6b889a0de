import { Inject, Injectable, Optional } from '@nestjs/common';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTVerifyOptions } from 'jose';
import { METRICS, MetricsRegistry, withClientSpan } from '@app/observability';
import { AuthzInstances } from './authz-instances';
import { describeJoseError, isKeySetUnavailable } from './jose-errors';
import { OutageLog } from './outage-log';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';
import { REFUSALS, unauthorized, type TokenRefusal } from './token-refusal';
import { REQUIRED_CLAIMS, toVerifiedAccessToken, type VerifiedAccessToken } from './verified-access-token';

/** What the token must say for this request: the caller decides both, per request. */
export interface ExpectedToken {
  /** The public base URL of the alias the request came in on: the only acceptable `iss`. */
  readonly issuer: string;
  /** The exact resource URL (RFC 8707) this server is: it must be among the token's `aud`. */
  readonly audience: string;
}

// RFC 8725 §3.1: an allow-list of one algorithm; RFC 9068 §2.1: RS256, typ at+jwt.
const ALGORITHMS = ['RS256'];
const JWKS_PATH = '/.well-known/jwks.json';
/** After authz announced new keys, an unknown kid may refetch the JWKS this long, at most once per gap. */
const NEW_KEYS_WINDOW_MS = 10_000;
const NEW_KEYS_FETCH_GAP_MS = 250;

/**
 * Verifies JWT access tokens (RFC 9068) against authz's JWKS with jose. The key set is fetched once and cached
 * (refetched on use after its max age); a token naming an unknown `kid` refetches it, no more than once per
 * cooldown, which is how keys rotated by authz are picked up without a restart. Each fetch asks the authz
 * instances in turn until one answers 200 (every instance of a cluster publishes the same set).
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly rules: Omit<JWTVerifyOptions, 'issuer' | 'audience'>;
  private keysChangedAt = Number.NEGATIVE_INFINITY;
  private forcedFetchAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(RESOURCE_SERVER_OPTIONS) options: ResolvedResourceServerOptions,
    instances: AuthzInstances,
    private readonly outages: OutageLog,
    @Optional() metrics?: MetricsRegistry,
  ) {
    const fetches = metrics?.counter(METRICS.jwksFetches);
    // One attempt per instance, each with its own deadline; jose's own deadline covers them all.
    const fetchFrom = (base: string, init: RequestInit) =>
      withClientSpan(`GET ${JWKS_PATH}`, { 'url.full': base + JWKS_PATH }, (trace) => {
        const headers = new Headers(init.headers);
        for (const [name, value] of Object.entries(trace)) headers.set(name, value);
        return fetch(base + JWKS_PATH, {
          ...init,
          headers,
          signal: AbortSignal.any([
            ...(init.signal ? [init.signal] : []),
            AbortSignal.timeout(options.authzTimeoutMs),
          ]),
        });
      }).then(
        async (response) => {
          fetches?.inc({ outcome: response.ok ? 'ok' : 'error' });
          if (response.status === 200) return response;
          await response.body?.cancel();
          throw new Error(`authz answered the JWKS with ${response.status}`);
        },
        (error: unknown) => {
          fetches?.inc({ outcome: 'error' });
          throw error;
        },
      );
    this.jwks = createRemoteJWKSet(new URL(instances.urls[0] + JWKS_PATH), {
      cooldownDuration: options.jwksCooldownMs,
      cacheMaxAge: options.jwksCacheMaxAgeMs,
      timeoutDuration: options.authzTimeoutMs * instances.urls.length,
      // Counted, and traced as client calls whose context authz continues.
      [customFetch]: (_url, init) => instances.first((base) => fetchFrom(base, init)),
    });
    this.rules = {
      algorithms: ALGORITHMS,
      typ: 'at+jwt',
      clockTolerance: options.clockToleranceSeconds,
      // Also refuses an iat in the future (beyond the tolerance), which jose checks only with a max age.
      maxTokenAge: options.maxTokenAgeSeconds,
      requiredClaims: REQUIRED_CLAIMS,
    };
  }

  /**
   * authz announced new signing keys (a rotation, on the push channel): the JWKS is fetched at once and, for a
   * short while, a token of a key still unknown fetches it again despite the cooldown, since an authz instance
   * asked before it reloaded may have answered with the old set.
   */
  keysChanged(): void {
    this.keysChangedAt = Date.now();
    this.jwks.reload().catch(() => undefined); // a failure shows on the next verification
  }

  async verify(token: string, expected: ExpectedToken): Promise<VerifiedAccessToken | TokenRefusal> {
    let payload;
    try {
      payload = await this.verifyOnce(token, expected).catch(async (error: unknown) => {
        if (!(error instanceof errors.JWKSNoMatchingKey) || !this.mayFetchForNewKey()) throw error;
        this.forcedFetchAt = Date.now();
        await this.jwks.reload();
        return this.verifyOnce(token, expected);
      });
    } catch (error) {
      if (isKeySetUnavailable(error)) {
        this.outages.report('JWKS unavailable', (error as Error).message);
        return REFUSALS.keysUnavailable;
      }
      return unauthorized('invalid_token', describeJoseError(error));
    }
    return toVerifiedAccessToken(payload);
  }

  private async verifyOnce(token: string, expected: ExpectedToken) {
    const { payload } = await jwtVerify(token, this.jwks, {
      ...this.rules,
      issuer: expected.issuer,
      audience: expected.audience,
    });
    return payload;
  }

  private mayFetchForNewKey(): boolean {
    const now = Date.now();
    return now - this.keysChangedAt < NEW_KEYS_WINDOW_MS && now - this.forcedFetchAt >= NEW_KEYS_FETCH_GAP_MS;
  }
}
