import { Inject, Injectable, Optional } from '@nestjs/common';
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTVerifyOptions } from 'jose';
import { METRICS, MetricsRegistry, withClientSpan } from '@app/observability';
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

/**
 * Verifies JWT access tokens (RFC 9068) against authz's JWKS with jose. The key set is fetched once and cached
 * (refetched on use after its max age); a token naming an unknown `kid` refetches it, no more than once per
 * cooldown, which is how keys rotated by authz are picked up without a restart.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly rules: Omit<JWTVerifyOptions, 'issuer' | 'audience'>;

  constructor(
    @Inject(RESOURCE_SERVER_OPTIONS) options: ResolvedResourceServerOptions,
    private readonly outages: OutageLog,
    @Optional() metrics?: MetricsRegistry,
  ) {
    const fetches = metrics?.counter(METRICS.jwksFetches);
    this.jwks = createRemoteJWKSet(new URL(`${options.authzInternalUrl}/.well-known/jwks.json`), {
      cooldownDuration: options.jwksCooldownMs,
      cacheMaxAge: options.jwksCacheMaxAgeMs,
      timeoutDuration: options.authzTimeoutMs,
      // Counted, and traced as a client call whose context authz continues.
      [customFetch]: (url, init) =>
        withClientSpan('GET /.well-known/jwks.json', { 'url.full': url }, (trace) =>
          fetch(url, { ...init, headers: { ...init.headers, ...trace } }),
        ).then(
          (response) => {
            fetches?.inc({ outcome: response.ok ? 'ok' : 'error' });
            return response;
          },
          (error: unknown) => {
            fetches?.inc({ outcome: 'error' });
            throw error;
          },
        ),
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

  async verify(token: string, expected: ExpectedToken): Promise<VerifiedAccessToken | TokenRefusal> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        ...this.rules,
        issuer: expected.issuer,
        audience: expected.audience,
      }));
    } catch (error) {
      if (isKeySetUnavailable(error)) {
        this.outages.report('JWKS unavailable', (error as Error).message);
        return REFUSALS.keysUnavailable;
      }
      return unauthorized('invalid_token', describeJoseError(error));
    }
    return toVerifiedAccessToken(payload);
  }
}
