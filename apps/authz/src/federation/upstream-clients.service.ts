import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as oidc from 'openid-client';
import { authzConfig } from '../config/authz.config';
import type { UpstreamProviderConfig } from '../config/federation.config';
import { hasRules } from './access-rules';
import type { ProviderClaims } from './federated-identity';
import { githubClaims, githubServerMetadata } from './github-profile';
import { classifyUpstreamError, UpstreamRejectedError } from './upstream-errors';

/** Seconds per request to a provider (openid-client's own default is 30). */
const TIMEOUT_SECONDS = 10;
/** How long the sign-in page waits for a provider's metadata before rendering without its origin. */
const PAGE_WAIT_MS = 3_000;

export interface UpstreamChecks {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface UpstreamResult {
  claims: ProviderClaims;
  refreshToken?: string;
}

/**
 * The relying-party side, through openid-client: one Configuration per provider (discovered once and cached;
 * a failed discovery is retried on next use), authorization code + PKCE with `state` and `nonce`, and ID
 * tokens verified against the provider's JWKS (enableNonRepudiationChecks: signature, plus iss, aud, exp,
 * iat, nonce and the configured `alg`, OpenID Connect Core §3.1.3.7).
 */
@Injectable()
export class UpstreamClients implements OnApplicationBootstrap {
  private readonly logger = new Logger(UpstreamClients.name);
  private readonly configurations = new Map<string, Promise<oidc.Configuration>>();

  constructor(@Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>) {}

  get providers(): readonly UpstreamProviderConfig[] {
    return this.config.federation.providers;
  }

  find(id: string): UpstreamProviderConfig | undefined {
    return this.providers.find((provider) => provider.id === id);
  }

  /** Discovers every provider in the background, so the first sign-in does not wait and outages show in logs. */
  onApplicationBootstrap(): void {
    for (const provider of this.providers) {
      if (!hasRules(provider.access ?? this.config.federation.accessRules))
        this.logger.warn(
          `identity provider "${provider.id}" admits every account it authenticates: no access rules`,
        );
      void this.configuration(provider).catch(() => undefined);
    }
  }

  async authorizationUrl(
    provider: UpstreamProviderConfig,
    checks: Omit<UpstreamChecks, 'codeVerifier'> & {
      codeChallenge: string;
    },
  ): Promise<URL> {
    const config = await this.configuration(provider);
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: checks.redirectUri,
      scope: provider.scopes.join(' '),
      state: checks.state,
      ...(provider.type === 'oidc' ? { nonce: checks.nonce } : {}),
      code_challenge: checks.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  /** Redeems the callback's code and returns who the provider says signed in; throws Upstream*Error. */
  async exchange(
    provider: UpstreamProviderConfig,
    callback: URLSearchParams,
    checks: UpstreamChecks,
  ): Promise<UpstreamResult> {
    try {
      const config = await this.configuration(provider);
      const current = new URL(checks.redirectUri);
      current.search = callback.toString();
      const oidcChecks =
        provider.type === 'oidc' ? { expectedNonce: checks.nonce, idTokenExpected: true } : {};
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        ...oidcChecks,
      });
      const claims =
        provider.type === 'github'
          ? await githubClaims(config, provider, tokens.access_token)
          : await this.openIdClaims(config, tokens);
      return { claims, refreshToken: tokens.refresh_token };
    } catch (error) {
      throw classifyUpstreamError(error);
    }
  }

  /** Refreshes at the provider; returns the refresh token to keep (the same one if it does not rotate). */
  async refresh(provider: UpstreamProviderConfig, refreshToken: string): Promise<string> {
    try {
      const tokens = await oidc.refreshTokenGrant(await this.configuration(provider), refreshToken);
      return tokens.refresh_token ?? refreshToken;
    } catch (error) {
      throw classifyUpstreamError(error);
    }
  }

  /**
   * Origins of the providers' authorization endpoints, for the sign-in page's CSP: browsers apply form-action
   * to the redirect a form post answers with (CSP Level 3 §6.4.1), and the provider buttons post here first.
   */
  async authorizationOrigins(): Promise<string[]> {
    const timeout = new Promise<undefined>((resolve) =>
      setTimeout(() => resolve(undefined), PAGE_WAIT_MS).unref(),
    );
    const origins = await Promise.all(
      this.providers.map((provider) =>
        Promise.race([
          this.configuration(provider).then(
            (config) => new URL(config.serverMetadata().authorization_endpoint!).origin,
            () => undefined,
          ),
          timeout,
        ]),
      ),
    );
    return [...new Set(origins.filter((origin): origin is string => origin !== undefined))];
  }

  /** ID token claims, completed from userinfo (where profile claims live when an access token is issued). */
  private async openIdClaims(
    config: oidc.Configuration,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<ProviderClaims> {
    const idToken = tokens.claims();
    if (!idToken) throw new UpstreamRejectedError('no ID token in the token response');
    if (!config.serverMetadata().userinfo_endpoint) return idToken as ProviderClaims;
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    return { ...userinfo, ...idToken } as ProviderClaims;
  }

  private configuration(provider: UpstreamProviderConfig): Promise<oidc.Configuration> {
    let pending = this.configurations.get(provider.id);
    if (!pending) {
      pending = this.create(provider);
      this.configurations.set(provider.id, pending);
      pending.catch((error: unknown) => {
        this.configurations.delete(provider.id);
        this.logger.warn(
          `identity provider "${provider.id}" (${provider.issuer}) unavailable: ${String(error)}`,
        );
      });
    }
    return pending;
  }

  private async create(provider: UpstreamProviderConfig): Promise<oidc.Configuration> {
    const insecure = provider.issuer.startsWith('http:');
    const setup = (config: oidc.Configuration) => {
      config.timeout = TIMEOUT_SECONDS;
      if (insecure) oidc.allowInsecureRequests(config);
      return config;
    };
    if (provider.type === 'github') {
      return setup(
        new oidc.Configuration(
          githubServerMetadata(provider),
          provider.clientId,
          undefined,
          oidc.ClientSecretPost(provider.clientSecret),
        ),
      );
    }
    const execute = [oidc.enableNonRepudiationChecks, ...(insecure ? [oidc.allowInsecureRequests] : [])];
    const config = await oidc.discovery(
      new URL(provider.issuer),
      provider.clientId,
      { id_token_signed_response_alg: provider.idTokenAlg },
      // OpenID Connect Core §9: client_secret_basic is the default client authentication.
      provider.clientSecret ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.None(),
      { execute, timeout: TIMEOUT_SECONDS },
    );
    return setup(config);
  }
}
