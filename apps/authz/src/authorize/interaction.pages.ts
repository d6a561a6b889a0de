import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { OAuthError } from '@app/oauth-errors';
import type { ClientRecord, InteractionRecord } from '@app/oauth-store';
import { ClientsService } from '../clients/clients.service';
import { InteractionService } from './interaction.service';
import { renderConsentPage } from './pages/consent.page';
import { renderErrorPage } from './pages/error.page';
import { pageCsp } from './pages/layout';
import { renderLoginPage } from './pages/login.page';

/** Renders the HTML steps of an interaction with their security headers. */
@Injectable()
export class InteractionPages {
  constructor(
    private readonly clients: ClientsService,
    private readonly interactions: InteractionService,
  ) {}

  /** Consent when someone is signed in for this interaction, sign-in otherwise. */
  async show(res: Response, interaction: InteractionRecord, known?: ClientRecord): Promise<void> {
    const client = known ?? (await this.clients.find(interaction.clientId));
    const clientName = client?.clientName ?? interaction.clientId;
    if (!interaction.subject) {
      await this.showLogin(res, interaction, undefined, 200, undefined, clientName);
      return;
    }
    const redirect = new URL(interaction.redirectUri);
    const html = renderConsentPage({
      action: `${interaction.issuer}/authorize/decision`,
      interactionId: interaction.id,
      clientName,
      clientId: interaction.clientId,
      redirectHost: redirect.host,
      scopes: interaction.scopes,
      resource: interaction.resource,
      subject: interaction.subject,
      previouslyApproved: await this.interactions.previouslyApproved(interaction),
    });
    this.send(res, 200, html, [redirect.origin]);
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
      knownName ?? (await this.clients.find(interaction.clientId))?.clientName ?? interaction.clientId;
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
