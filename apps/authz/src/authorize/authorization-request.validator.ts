import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  InvalidClientError,
  InvalidRequestError,
  InvalidTargetError,
  OAuthError,
  UnauthorizedClientError,
  UnsupportedResponseTypeError,
} from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import { isCodeChallengeMethodSupported, isValidCodeChallenge } from '@app/pkce';
import { ClientsService } from '../clients/clients.service';
import type { KnownResource } from '../common/resource-catalog';
import { authzConfig } from '../config/authz.config';
import {
  AuthorizationPageError,
  AuthorizationRedirectError,
  type ValidatedAuthorizationRequest,
} from './authorization-request';
import { isLoopbackHost, isRedirectUriRegistered } from './redirect-uri';
import { requestedScopes } from './requested-scopes';

type Query = Record<string, unknown>;

/** A single string parameter; repeated parameters arrive as arrays and are refused (RFC 6749 §3.1). */
function single(query: Query, name: string): string | undefined | null {
  const value = query[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length <= 4096 ? value : null;
}

/** Checks a GET /authorize request in the order RFC 6749 §4.1.2.1 requires: client and redirect first. */
@Injectable()
export class AuthorizationRequestValidator {
  constructor(
    private readonly clients: ClientsService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async validate(query: Query, issuer: string): Promise<ValidatedAuthorizationRequest> {
    const clientId = single(query, 'client_id');
    if (!clientId)
      throw new AuthorizationPageError(new InvalidRequestError('Missing or repeated client_id.'));
    const client = await this.findClient(clientId);

    const requestedRedirect = single(query, 'redirect_uri');
    let redirectUri: string;
    if (requestedRedirect === undefined && client.redirectUris.length === 1) {
      redirectUri = client.redirectUris[0];
    } else if (requestedRedirect && isRedirectUriRegistered(client.redirectUris, requestedRedirect)) {
      redirectUri = requestedRedirect;
    } else {
      throw new AuthorizationPageError(
        new InvalidRequestError('redirect_uri is missing or not registered for this client.'),
      );
    }

    const rawState = single(query, 'state');
    const state = rawState ?? undefined;
    // Trusted for automatic error redirects: configured clients, and loopback URIs (they reach only the
    // user's own machine, never a phishing site).
    const trusted = client.preRegistered === true || isLoopbackHost(new URL(redirectUri).hostname);
    const fail = (error: OAuthError) =>
      new AuthorizationRedirectError(error, redirectUri, issuer, state, trusted);
    if (rawState === null) throw fail(new InvalidRequestError('state must be a single string.'));

    const responseType = single(query, 'response_type');
    if (!responseType) throw fail(new InvalidRequestError('Missing or repeated response_type.'));
    if (responseType !== 'code')
      throw fail(new UnsupportedResponseTypeError('Only response_type=code is supported.'));
    if (!client.responseTypes.includes('code') || !client.grantTypes.includes('authorization_code')) {
      throw fail(new UnauthorizedClientError('This client may not use the authorization code flow.'));
    }

    // OAuth 2.1 §4.1.1 and the MCP authorization spec: PKCE is mandatory, S256 only (RFC 7636 §4.3).
    const codeChallenge = single(query, 'code_challenge');
    const method = single(query, 'code_challenge_method');
    if (!codeChallenge) throw fail(new InvalidRequestError('code_challenge is required (PKCE, S256).'));
    if (!isCodeChallengeMethodSupported(method)) {
      throw fail(new InvalidRequestError('code_challenge_method must be S256.'));
    }
    if (!isValidCodeChallenge(codeChallenge)) {
      throw fail(new InvalidRequestError('code_challenge must be 43 base64url characters (S256).'));
    }

    const resource = this.resourceFor(query.resource, issuer);
    if (resource instanceof Error) throw fail(resource);

    // Each resource grants the MCP scopes and its own (GATEWAY_RESOURCES_FILE); others are dropped (§3.3).
    const scopes = requestedScopes(
      single(query, 'scope'),
      client.scopes,
      this.scopeCeilingFor(client),
      this.config.resources.scopesFor(resource.entry),
    );
    if (scopes instanceof Error) throw fail(scopes);

    return {
      client,
      redirectUri,
      redirectUriProvided: requestedRedirect !== undefined,
      scopes,
      resource: resource.url,
      state,
      codeChallenge,
      codeChallengeMethod: method,
      issuer,
    };
  }

  /** The client, or an error page: unknown, or a metadata document that cannot be used (CIMD §5.1). */
  private async findClient(clientId: string): Promise<ClientRecord> {
    let client: ClientRecord | undefined;
    try {
      client = await this.clients.find(clientId);
    } catch (error) {
      if (error instanceof OAuthError) throw new AuthorizationPageError(error);
      throw error;
    }
    if (!client) throw new AuthorizationPageError(new InvalidClientError('Unknown client_id.'));
    return client;
  }

  /**
   * The most a client may ask for. A configured client is held to its configured scopes. A dynamically
   * registered one may ask for any MCP scope: its registered `scope` (RFC 7591 §2, service-specific semantics)
   * is only its default, because anyone may register again with every scope, so a limit buys no security, and
   * it would break MCP step-up authorization (2025-11-25 "Scope Challenge Handling"), where a client that
   * registered with the scope of its first challenge re-authorizes with a wider one. The user's consent is
   * the gate.
   */
  private scopeCeilingFor(client: ClientRecord): readonly string[] {
    return client.preRegistered === true ? client.scopes : this.config.resources.resourceScopes;
  }

  /**
   * RFC 8707 §2: one absolute URI, a protected resource on this request's issuer (the token's `aud` is exactly that
   * one resource); absent -> the default resource (/mcp).
   */
  private resourceFor(raw: unknown, issuer: string): KnownResource | OAuthError {
    const resources = this.config.resources;
    if (raw === undefined) return resources.defaultFor(issuer);
    if (typeof raw !== 'string') return new InvalidTargetError('Only one resource per request is supported.');
    const paths = resources.entries.map((entry) => `${issuer}${entry.path}`).join(', ');
    return (
      resources.find(raw, issuer) ??
      new InvalidTargetError(`Unknown resource; this server issues tokens for ${paths}.`)
    );
  }
}
