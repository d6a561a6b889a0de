import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import {
  AccessDeniedError,
  InvalidRequestError,
  TemporarilyUnavailableError,
  type OAuthError,
} from '@app/oauth-errors';
import { AuditTrail } from '@app/observability';
import { UpstreamLoginRepository, type FederatedSignIn, type InteractionRecord } from '@app/oauth-store';
import { computeS256Challenge, generateCodeVerifier } from '@app/pkce';
import { AuthorizationPageError } from '../authorize/authorization-request';
import { randomToken, sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';
import type { UpstreamProviderConfig } from '../config/federation.config';
import { isAdmitted } from './access-rules';
import { bindingCookie, bindingCookieName, bindingValue, readCookie } from './browser-binding';
import { federatedSubject, identityFrom } from './federated-identity';
import { TokenCipher } from '../common/token-cipher';
import { UpstreamClients } from './upstream-clients.service';
import { UpstreamRejectedError, UpstreamUnavailableError } from './upstream-errors';

/** A sign-in at the provider must come back within this (or the interaction's own end, if sooner). */
const LOGIN_TTL_MS = 10 * 60_000;
const STATE = /^[A-Za-z0-9_-]{43}$/;

export interface StartedLogin {
  /** The provider's authorization URL. */
  location: string;
  /** The browser-binding cookie to set with the redirect. */
  cookie: string;
}

export interface CompletedLogin {
  interactionId: string;
  subject: string;
  federated: FederatedSignIn;
}

const pageError = (error: OAuthError) => new AuthorizationPageError(error, error.status);

/**
 * Signing in through an upstream provider, as a relying party. The rules: `state` (256 bits) names a single-use
 * record that expires quickly, tied to one interaction, one provider, and the browser that started it; the
 * provider's answer is verified by openid-client (PKCE, nonce, ID token); the identity must pass the access
 * rules. Any failure leaves the interaction signed out and issues nothing.
 */
@Injectable()
export class FederatedLoginService {
  private readonly logger = new Logger(FederatedLoginService.name);
  private readonly cipher?: TokenCipher;

  constructor(
    private readonly logins: UpstreamLoginRepository,
    private readonly upstream: UpstreamClients,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
    private readonly audit: AuditTrail,
  ) {
    const key = config.federation.tokenKey;
    if (config.federation.keepRefreshTokens && key) this.cipher = new TokenCipher(key);
  }

  get providers(): readonly UpstreamProviderConfig[] {
    return this.upstream.providers;
  }

  /** Origins the sign-in page's buttons lead to (its CSP form-action). */
  authorizationOrigins(): Promise<string[]> {
    return this.upstream.authorizationOrigins();
  }

  /** The provider to send the browser to without asking: the only way to sign in. */
  soleProvider(): UpstreamProviderConfig | undefined {
    const only = this.providers.length === 1 && this.config.users.size === 0 && !this.config.autoLogin;
    return only ? this.providers[0] : undefined;
  }

  async start(
    interaction: InteractionRecord,
    providerId: unknown,
    cookieHeader?: string,
  ): Promise<StartedLogin> {
    const provider = typeof providerId === 'string' ? this.upstream.find(providerId) : undefined;
    if (!provider) throw pageError(new InvalidRequestError('Unknown identity provider.'));
    const secure = interaction.issuer.startsWith('https:');
    const binding = bindingValue(cookieHeader, secure);
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = generateCodeVerifier();
    const redirectUri = `${interaction.issuer}/login/callback/${provider.id}`;
    const now = Date.now();
    const expiresAt = Math.min(interaction.expiresAt, now + LOGIN_TTL_MS);
    let url: URL;
    try {
      url = await this.upstream.authorizationUrl(provider, {
        redirectUri,
        state,
        nonce,
        codeChallenge: computeS256Challenge(codeVerifier),
      });
    } catch (error) {
      this.logger.warn(`sign-in with "${provider.id}" could not start: ${String(error)}`);
      throw this.unavailable(provider);
    }
    await this.logins.save({
      id: sha256(state),
      interactionId: interaction.id,
      provider: provider.id,
      nonce,
      codeVerifier,
      redirectUri,
      browserBinding: sha256(binding),
      expiresAt,
    });
    return { location: url.href, cookie: bindingCookie(binding, secure, (expiresAt - now) / 1000) };
  }

  /** Checks the provider's callback and returns who signed in, for which interaction; throws a page error. */
  async finish(
    providerId: string,
    query: Record<string, unknown>,
    cookieHeader?: string,
  ): Promise<CompletedLogin> {
    const callback = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      // RFC 6749 §3.1: parameters must not repeat; a repeated one (an array here) is a forged response.
      if (typeof value !== 'string') throw this.invalid('The sign-in response is malformed.');
      callback.set(name, value);
    }
    const state = callback.get('state');
    if (!state || !STATE.test(state)) throw this.invalid('This sign-in is unknown or has expired.');
    const result = await this.logins.consume(sha256(state));
    if (result.outcome === 'not_found') throw this.invalid('This sign-in is unknown or has expired.');
    // A replayed callback (RFC 9700 §4.5.3): the first use already decided this sign-in.
    if (result.outcome === 'already_consumed') {
      this.failed(result.record.provider, 'replayed provider callback');
      throw this.invalid('This sign-in was already completed.');
    }
    const login = result.record;
    if (login.provider !== providerId)
      throw this.invalid('This sign-in belongs to another identity provider.');
    const provider = this.upstream.find(login.provider);
    if (!provider) throw this.invalid('This identity provider is no longer configured.');
    if (!this.sameBrowser(login.browserBinding, cookieHeader, login.redirectUri.startsWith('https:'))) {
      throw this.invalid('This sign-in was started in another browser (or its cookie expired); start again.');
    }

    let upstream;
    try {
      upstream = await this.upstream.exchange(provider, callback, { ...login, state });
    } catch (error) {
      this.logger.warn(`sign-in with "${provider.id}" failed: ${String((error as Error).message ?? error)}`);
      this.failed(
        provider.id,
        error instanceof UpstreamUnavailableError ? 'provider unavailable' : 'provider answer refused',
      );
      if (error instanceof UpstreamUnavailableError) throw this.unavailable(provider);
      const code = error instanceof UpstreamRejectedError ? error.providerError : undefined;
      throw pageError(
        new AccessDeniedError(
          code
            ? `${provider.name} did not sign you in (${code}).`
            : `The answer from ${provider.name} could not be verified, so you are not signed in.`,
        ),
      );
    }

    const identity = identityFrom(provider.id, upstream.claims, provider.groupsClaim);
    const subject = federatedSubject(provider.id, upstream.claims.sub);
    if (!isAdmitted(identity, provider.access ?? this.config.federation.accessRules)) {
      this.logger.warn(`"${subject}" (${identity.email ?? 'no email'}) refused by the access rules`);
      this.failed(provider.id, 'refused by the access rules', subject);
      const who = identity.email ?? identity.name ?? 'This account';
      throw pageError(
        new AccessDeniedError(
          `${who} (${provider.name}) is not allowed to use this server. Ask its administrator.`,
        ),
      );
    }
    const kept = this.cipher && upstream.refreshToken;
    const federated: FederatedSignIn = {
      identity,
      ...(kept ? { upstreamRefreshToken: this.cipher!.encrypt(upstream.refreshToken!, subject) } : {}),
    };
    this.audit.record({ type: 'login.succeeded', sub: subject, method: 'provider', provider: provider.id });
    return { interactionId: login.interactionId, subject, federated };
  }

  private failed(provider: string, reason: string, user?: string): void {
    this.audit.record({
      type: 'login.failed',
      method: 'provider',
      provider,
      reason,
      ...(user ? { user } : {}),
    });
  }

  private sameBrowser(expectedHash: string, cookieHeader: string | undefined, secure: boolean): boolean {
    const value = readCookie(cookieHeader, bindingCookieName(secure));
    if (!value) return false;
    const actual = Buffer.from(sha256(value));
    const expected = Buffer.from(expectedHash);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private invalid(description: string): AuthorizationPageError {
    return pageError(new InvalidRequestError(description));
  }

  private unavailable(provider: UpstreamProviderConfig): AuthorizationPageError {
    return pageError(
      new TemporarilyUnavailableError(`${provider.name} cannot be reached right now; try again later.`),
    );
  }
}
