import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidClientError, type OAuthError } from '@app/oauth-errors';
import type { ClientRecord, InteractionRecord } from '@app/oauth-store';
import { ClientsService } from '../clients/clients.service';
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
    const html = renderConsentPage({
      action: `${interaction.issuer}/authorize/decision`,
      interactionId: interaction.id,
      client: clientIdentityOf(client, interaction.redirectUri),
      scopes: interaction.scopes,
      resource: interaction.resource,
      subject: interaction.subject,
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
    const html = renderLoginPage({
      action: `${interaction.issuer}/login`,
      interactionId: interaction.id,
      clientName,
      username: typeof username === 'string' ? username.slice(0, 128) : undefined,
      error,
    });
    this.send(res, status, html);
  }

  /** The error page; with `returnTo`, a link back to the client the user may choose to follow. */
  showError(res: Response, error: OAuthError, returnTo?: string): void {
    this.send(res, 400, renderErrorPage(error, returnTo));
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
