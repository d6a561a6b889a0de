import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Response } from 'express';
import { InvalidClientError, type OAuthError } from '@app/oauth-errors';
import type { ClientRecord, FederatedIdentity, InteractionRecord } from '@app/oauth-store';
import { ClientsService } from '../clients/clients.service';
import { authzConfig } from '../config/authz.config';
import { FederatedLoginService } from '../federation/federated-login.service';
import { AuthorizationPageError } from './authorization-request';
import { clientIdentityOf } from './client-identity';
import { InteractionService } from './interaction.service';
import { renderConsentPage } from './pages/consent.page';
import { renderErrorPage } from './pages/error.page';
import { pageCsp } from './pages/layout';
import { renderLoginPage } from './pages/login.page';

/**
 * CSP form-action source that lets the decision POST's redirect through (browsers apply form-action to it): the
 * redirect origin, or for an app's private-use scheme the scheme itself (its URL has no origin).
 */
function formTargetOf(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/** Renders the HTML steps of an interaction with their security headers. */
@Injectable()
export class InteractionPages {
  constructor(
    private readonly clients: ClientsService,
    private readonly interactions: InteractionService,
    private readonly federation: FederatedLoginService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  /** Consent when someone is signed in for this interaction, sign-in otherwise. */
  async show(res: Response, interaction: InteractionRecord, known?: ClientRecord): Promise<void> {
    // A metadata-document client is shown as validated for this request, never refetched mid-interaction.
    const client = known ?? interaction.clientSnapshot ?? (await this.clients.find(interaction.clientId));
    const clientName = client?.clientName ?? interaction.clientId;
    if (!interaction.subject) {
      await this.showLogin(res, interaction, undefined, 200, undefined, clientName);
      return;
    }
    if (!client) throw new AuthorizationPageError(new InvalidClientError('Unknown client_id.'));
    const resource = this.config.resources.entryOf(interaction.resource);
    const html = renderConsentPage({
      action: `${interaction.issuer}/authorize/decision`,
      interactionId: interaction.id,
      client: clientIdentityOf(client, interaction.redirectUri),
      scopes: interaction.scopes,
      resource: interaction.resource,
      resourceName: resource?.name,
      resourceDescription: resource?.description,
      subject: displayName(interaction.subject, interaction.federated?.identity),
      provider: this.federation.providers.find((p) => p.id === interaction.federated?.identity.provider)
        ?.name,
      logoutAction: `${interaction.issuer}/logout`,
      previouslyApproved: await this.interactions.previouslyApproved(interaction),
    });
    this.send(res, 200, html, [formTargetOf(interaction.redirectUri)]);
  }

  async showLogin(
    res: Response,
    interaction: InteractionRecord,
    error?: string,
    status = 200,
    username?: unknown,
    knownName?: string,
  ): Promise<void> {
    const clientName =
      knownName ??
      (interaction.clientSnapshot ?? (await this.clients.find(interaction.clientId)))?.clientName ??
      interaction.clientId;
    const providers = this.federation.providers.map(({ id, name }) => ({ id, name }));
    const html = renderLoginPage({
      action: `${interaction.issuer}/login`,
      interactionId: interaction.id,
      clientName,
      username: typeof username === 'string' ? username.slice(0, 128) : undefined,
      error,
      providers,
      providerAction: `${interaction.issuer}/login/provider`,
      localUsers: this.config.users.size > 0 || providers.length === 0,
    });
    const formTargets = providers.length > 0 ? await this.federation.authorizationOrigins() : [];
    this.send(res, status, html, formTargets);
  }

  /** The error page; with `returnTo`, a link back to the client the user may choose to follow. */
  showError(res: Response, error: OAuthError, returnTo?: string, status = 400): void {
    this.send(res, status, renderErrorPage(error, returnTo));
  }

  send(res: Response, status: number, html: string, formTargets: string[] = []): void {
    res
      .status(status)
      .setHeader('Content-Security-Policy', pageCsp(formTargets))
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(html);
  }
}

/** A federated user by name and email (the subject `<provider>|<sub>` means nothing to them). */
function displayName(subject: string, identity?: FederatedIdentity): string {
  if (!identity) return subject;
  if (identity.name && identity.email) return `${identity.name} (${identity.email})`;
  return identity.name ?? identity.email ?? subject;
}
