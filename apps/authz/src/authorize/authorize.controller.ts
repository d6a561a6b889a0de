import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSeeOtherResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuditTrail } from '@app/observability';
import { isLoopbackClient } from '../common/loopback-client';
import { issuerFor } from '../common/public-urls';
import { authzConfig } from '../config/authz.config';
import { clearBindingCookie } from '../federation/browser-binding';
import { FederatedLoginService } from '../federation/federated-login.service';
import { LocalUsersService } from '../users/local-users.service';
import { AuthorizationPageError, AuthorizationRedirectError } from './authorization-request';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { ApiAuthorizeQuery } from './dto/authorize-query.dto';
import { DecisionFormDto, LoginFormDto, LogoutFormDto } from './dto/interaction-forms.dto';
import { redirectToProvider } from './federated-login.controller';
import { InteractionPages } from './interaction.pages';
import { InteractionService } from './interaction.service';
import { isWebRedirect } from './redirect-uri';
import { renderSignedOutPage } from './pages/error.page';
import { assertSameSiteForm } from './same-site-form';

@ApiTags('oauth')
@Controller()
@UseGuards(ThrottlerGuard)
export class AuthorizeController {
  constructor(
    private readonly validator: AuthorizationRequestValidator,
    private readonly interactions: InteractionService,
    private readonly users: LocalUsersService,
    private readonly pages: InteractionPages,
    private readonly federation: FederatedLoginService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
    private readonly audit: AuditTrail,
  ) {}

  @Get('authorize')
  @ApiOperation({
    summary: 'Authorization endpoint (OAuth 2.1 §4.1.1): code flow with PKCE S256; shows sign-in or consent',
  })
  @ApiAuthorizeQuery()
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Consent page (or sign-in page) as HTML' })
  @ApiFoundResponse({
    description: 'Error redirect to redirect_uri with error, error_description, state, iss',
  })
  @ApiBadRequestResponse({ description: 'HTML error page: unknown client_id or unregistered redirect_uri' })
  async authorize(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const issuer = issuerFor(req, this.config.publicUrl);
    try {
      const request = await this.validator.validate(query, issuer);
      const subject = this.config.autoLogin && isLoopbackClient(req) ? this.config.defaultUser : undefined;
      const interaction = await this.interactions.start(request, subject);
      if (subject) this.audit.record({ type: 'login.succeeded', sub: subject, method: 'auto' });
      // The only way to sign in is one identity provider: no page to choose on, straight there.
      const sole = interaction.subject ? undefined : this.federation.soleProvider();
      if (sole) {
        redirectToProvider(res, await this.federation.start(interaction, sole.id, req.headers.cookie));
        return;
      }
      await this.pages.show(res, interaction, request.client);
    } catch (error) {
      this.handle(res, error);
    }
  }

  @Post('authorize/decision')
  @HttpCode(303)
  @ApiOperation({ summary: 'Consent decision (form POST from the consent page; single-use interaction_id)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: DecisionFormDto })
  @ApiSeeOtherResponse({
    description:
      'Redirect to redirect_uri with code, state, iss (or error=access_denied); 302 for app schemes',
  })
  @ApiBadRequestResponse({ description: 'HTML error page: missing, expired or reused interaction_id' })
  async decision(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    try {
      assertSameSiteForm(req);
      const location = await this.interactions.decide(body?.interaction_id, body?.decision);
      // 303 turns the form POST into a GET of a web redirect; an app's private-use scheme gets a plain 302, the
      // redirect every browser hands to the registered app (RFC 8252 §7.1).
      res
        .status(isWebRedirect(location) ? 303 : 302)
        .setHeader('Cache-Control', 'no-store')
        .location(location)
        .end();
    } catch (error) {
      this.handle(res, error);
    }
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a local user during an authorization (form POST)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: LoginFormDto })
  @ApiOkResponse({ description: 'Consent page on success, sign-in page with an error otherwise (HTML)' })
  async login(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    try {
      assertSameSiteForm(req);
      const interaction = await this.interactions.find(body?.interaction_id);
      const { username, password } = body ?? {};
      const valid =
        typeof username === 'string' &&
        typeof password === 'string' &&
        password.length <= 1024 &&
        (await this.users.verify(username, password));
      if (!valid) {
        const user = typeof username === 'string' ? username.slice(0, 64) : undefined;
        this.audit.record({
          type: 'login.failed',
          method: 'password',
          user,
          reason: 'unknown user or wrong password',
        });
        await this.pages.showLogin(res, interaction, 'Unknown user name or wrong password.', 401, username);
        return;
      }
      const signedIn = await this.interactions.signIn(interaction.id, username);
      this.audit.record({ type: 'login.succeeded', sub: username, method: 'password' });
      await this.pages.show(res, signedIn);
    } catch (error) {
      this.handle(res, error);
    }
  }

  @Get('logout')
  @ApiOperation({ summary: 'Sign out (no session is kept: every authorization signs in again)' })
  @ApiProduces('text/html')
  logout(@Req() req: Request, @Res() res: Response): void {
    // Forget the browser's binding to upstream sign-ins still in flight.
    res.setHeader(
      'Set-Cookie',
      clearBindingCookie(issuerFor(req, this.config.publicUrl).startsWith('https:')),
    );
    this.pages.send(res, 200, renderSignedOutPage());
  }

  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: "Sign out (form POST; from the consent page it also ends that page's sign-in)" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: LogoutFormDto })
  async logoutPost(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    try {
      assertSameSiteForm(req);
      await this.interactions.signOut(body?.interaction_id);
      this.logout(req, res);
    } catch (error) {
      this.handle(res, error);
    }
  }

  private handle(res: Response, error: unknown): void {
    if (error instanceof AuthorizationRedirectError && error.automatic) {
      res.status(302).setHeader('Cache-Control', 'no-store').location(error.location).end();
      return;
    }
    if (error instanceof AuthorizationRedirectError) {
      this.pages.showError(res, error.error, error.location);
      return;
    }
    if (error instanceof AuthorizationPageError) {
      this.pages.showError(res, error.error, undefined, error.status);
      return;
    }
    throw error;
  }
}
