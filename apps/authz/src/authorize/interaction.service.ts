import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditTrail } from '@app/observability';
import { AccessDeniedError, InvalidRequestError } from '@app/oauth-errors';
import {
  AuthorizationCodeRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  type FederatedSignIn,
  type InteractionRecord,
} from '@app/oauth-store';
import { ClientsService } from '../clients/clients.service';
import { randomToken, sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { UpstreamRefreshService } from '../federation/upstream-refresh.service';
import {
  AuthorizationPageError,
  buildRedirectUrl,
  type ValidatedAuthorizationRequest,
} from './authorization-request';
import { consentClientKey } from './consent-key';

const INTERACTION_ID = /^[A-Za-z0-9_-]{43}$/;
/** A grant outlives its code by this much; the token endpoint extends it once tokens are issued. */
const GRANT_MARGIN_MS = 60_000;

/**
 * Interactions tie the login and consent pages to one validated authorization request. The id is the CSRF
 * defence: 256 random bits, short-lived, single use, and bound server-side to the request's parameters, so a
 * forged POST has nothing valid to send and cannot alter what is being approved.
 */
@Injectable()
export class InteractionService {
  constructor(
    private readonly interactions: InteractionRepository,
    private readonly codes: AuthorizationCodeRepository,
    private readonly grants: GrantRepository,
    private readonly consents: ConsentRepository,
    private readonly clients: ClientsService,
    private readonly upstreamTokens: UpstreamRefreshService,
    private readonly audit: AuditTrail,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async start(request: ValidatedAuthorizationRequest, subject?: string): Promise<InteractionRecord> {
    const now = Date.now();
    const { client, ...fields } = request;
    const interaction: InteractionRecord = {
      ...fields,
      id: randomToken(),
      clientId: client.clientId,
      // A metadata-document client is what its document said at this moment; the code carries that on.
      ...(client.documentHost === undefined ? {} : { clientSnapshot: client }),
      subject,
      authTime: subject ? now : undefined,
      expiresAt: now + this.config.ttl.interaction * 1000,
    };
    await this.interactions.save(interaction);
    return interaction;
  }

  async find(id: unknown): Promise<InteractionRecord> {
    const interaction =
      typeof id === 'string' && INTERACTION_ID.test(id) ? await this.interactions.find(id) : undefined;
    if (!interaction) throw this.missing();
    return interaction;
  }

  async signIn(id: string, subject: string, federated?: FederatedSignIn): Promise<InteractionRecord> {
    const interaction = await this.interactions.setSubject(id, subject, Date.now(), federated);
    if (!interaction) throw this.missing();
    return interaction;
  }

  /** Sign-out from the consent page: the interaction is spent, so nothing can be approved with it any more. */
  async signOut(id: unknown): Promise<void> {
    if (typeof id === 'string' && INTERACTION_ID.test(id)) await this.interactions.consume(id);
  }

  async previouslyApproved(interaction: InteractionRecord): Promise<boolean> {
    if (!interaction.subject) return false;
    const consent = await this.consents.find(interaction.subject, consentClientKey(interaction));
    return !!consent && interaction.scopes.every((scope) => consent.scopes.includes(scope));
  }

  /** Spends the interaction and returns where to send the browser: code on approve, access_denied on deny. */
  async decide(id: unknown, decision: unknown): Promise<string> {
    if (decision !== 'approve' && decision !== 'deny') {
      throw new AuthorizationPageError(new InvalidRequestError('decision must be approve or deny.'));
    }
    const result =
      typeof id === 'string' && INTERACTION_ID.test(id) ? await this.interactions.consume(id) : undefined;
    if (!result || result.outcome !== 'consumed') throw this.missing();
    const interaction = result.record;
    if (!interaction.subject) {
      throw new AuthorizationPageError(new AccessDeniedError('Sign in before approving.'));
    }
    const base = { state: interaction.state, iss: interaction.issuer };
    const consent = { sub: interaction.subject, client_id: interaction.clientId, scopes: interaction.scopes };
    if (decision === 'deny') {
      this.audit.record({ type: 'consent.denied', ...consent });
      return buildRedirectUrl(interaction.redirectUri, {
        error: 'access_denied',
        error_description: 'The user denied the request.',
        ...base,
      });
    }
    const code = randomToken();
    const now = Date.now();
    const grantId = randomToken(16);
    const expiresAt = now + this.config.ttl.code * 1000;
    // The grant exists from the moment its code does (and outlives it), so a replay of the code (RFC 6749
    // §4.1.2) always finds something to revoke, even while the first redemption is still issuing tokens.
    await this.grants.save({
      grantId,
      clientId: interaction.clientId,
      subject: interaction.subject,
      scopes: interaction.scopes,
      resource: interaction.resource,
      createdAt: now,
      expiresAt: expiresAt + GRANT_MARGIN_MS,
      ...(interaction.federated ? { identity: interaction.federated.identity } : {}),
    });
    await this.upstreamTokens.keep(grantId, interaction.federated);
    await this.codes.save({
      id: sha256(code),
      clientId: interaction.clientId,
      redirectUri: interaction.redirectUri,
      redirectUriProvided: interaction.redirectUriProvided,
      scopes: interaction.scopes,
      resource: interaction.resource,
      codeChallenge: interaction.codeChallenge,
      codeChallengeMethod: interaction.codeChallengeMethod,
      subject: interaction.subject,
      grantId,
      issuer: interaction.issuer,
      authTime: interaction.authTime ?? now,
      expiresAt,
      clientSnapshot: interaction.clientSnapshot,
    });
    // Remembered as long as a refresh token would be; every approval renews it.
    await this.consents.save({
      subject: interaction.subject,
      clientId: consentClientKey(interaction),
      scopes: interaction.scopes,
      grantedAt: now,
      expiresAt: now + this.config.ttl.refreshToken * 1000,
    });
    await this.clients.markUsed(interaction.clientId);
    this.audit.record({ type: 'consent.granted', ...consent });
    this.audit.record({ type: 'code.issued', ...consent, grant_id: grantId });
    // RFC 9207: `iss` lets the client detect a mix-up between authorization servers.
    return buildRedirectUrl(interaction.redirectUri, { code, ...base });
  }

  private missing(): AuthorizationPageError {
    return new AuthorizationPageError(
      new InvalidRequestError(
        'This authorization page has expired or was already used; start again from the app.',
      ),
    );
  }
}
