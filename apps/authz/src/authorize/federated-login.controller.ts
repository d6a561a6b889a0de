import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSeeOtherResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { FederatedLoginService, type StartedLogin } from '../federation/federated-login.service';
import { AuthorizationPageError } from './authorization-request';
import { ProviderFormDto } from './dto/interaction-forms.dto';
import { InteractionPages } from './interaction.pages';
import { InteractionService } from './interaction.service';
import { assertSameSiteForm } from './same-site-form';

/** Sends the browser to the provider with the cookie that binds the sign-in to it. */
export function redirectToProvider(res: Response, started: StartedLogin): void {
  res
    .status(303)
    .setHeader('Set-Cookie', started.cookie)
    .setHeader('Cache-Control', 'no-store')
    .location(started.location)
    .end();
}

/** Sign-in through an upstream identity provider, inside an authorization's interaction. */
@ApiTags('oauth')
@Controller('login')
@UseGuards(ThrottlerGuard)
export class FederatedLoginController {
  constructor(
    private readonly federation: FederatedLoginService,
    private readonly interactions: InteractionService,
    private readonly pages: InteractionPages,
  ) {}

  @Post('provider')
  @HttpCode(303)
  @ApiOperation({ summary: 'Continue with an identity provider (form POST from the sign-in page)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: ProviderFormDto })
  @ApiSeeOtherResponse({ description: "Redirect to the provider's authorization endpoint" })
  @ApiBadRequestResponse({ description: 'HTML error page: unknown interaction or provider' })
  async start(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    try {
      assertSameSiteForm(req);
      const interaction = await this.interactions.find(body?.interaction_id);
      if (interaction.subject) {
        await this.pages.show(res, interaction);
        return;
      }
      redirectToProvider(res, await this.federation.start(interaction, body?.provider, req.headers.cookie));
    } catch (error) {
      this.handle(res, error);
    }
  }

  @Get('callback/:provider')
  @ApiOperation({
    summary: "The provider's redirect back (code, state): verifies it, then shows the consent page",
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Consent page (HTML)' })
  @ApiBadRequestResponse({
    description: 'HTML error page: unknown, replayed or foreign state; refused sign-in',
  })
  async callback(
    @Req() req: Request,
    @Res() res: Response,
    @Param('provider') provider: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    try {
      const login = await this.federation.finish(provider, query, req.headers.cookie);
      const signedIn = await this.interactions.signIn(login.interactionId, login.subject, login.federated);
      await this.pages.show(res, signedIn);
    } catch (error) {
      this.handle(res, error);
    }
  }

  private handle(res: Response, error: unknown): void {
    if (!(error instanceof AuthorizationPageError)) throw error;
    this.pages.showError(res, error.error, undefined, error.status);
  }
}
