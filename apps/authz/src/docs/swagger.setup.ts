import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ALL_MCP_SCOPES, MCP_SCOPE_DESCRIPTIONS } from '@app/scopes';
import { issuerFor } from '../common/public-urls';
import type { AuthzConfig } from '../config/authz.config';
import { SWAGGER_UI_CLIENT_ID } from '../config/static-clients.config';
import { completeDocument, throttledOperations } from './openapi-completion';

const OAUTH2_SCHEME = 'oauth2';

function oauthFlowsFor(issuer: string) {
  return {
    authorizationCode: {
      authorizationUrl: `${issuer}/authorize`,
      tokenUrl: `${issuer}/token`,
      refreshUrl: `${issuer}/token`,
      scopes: Object.fromEntries(ALL_MCP_SCOPES.map((scope) => [scope, MCP_SCOPE_DESCRIPTIONS[scope]])),
    },
  };
}

/** Every URL in the document is rewritten per request to the issuer of the alias the reader used. */
function forIssuer(document: OpenAPIObject, issuer: string): OpenAPIObject {
  const schemes = document.components?.securitySchemes ?? {};
  return {
    ...document,
    servers: [{ url: issuer, description: 'This authorization server (through the gateway)' }],
    components: {
      ...document.components,
      securitySchemes: { ...schemes, [OAUTH2_SCHEME]: { type: 'oauth2', flows: oauthFlowsFor(issuer) } },
    },
  };
}

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. Authorize in Swagger UI runs the code flow with
 * PKCE as the pre-registered public client `swagger-ui`, redirecting to the gateway's /docs/oauth2-redirect.html.
 */
export function setupSwagger(app: NestExpressApplication, config: AuthzConfig): void {
  // Swagger UI derives its OAuth redirect from the page's directory: only under /docs/ is it the registered
  // /docs/oauth2-redirect.html, so the bare /docs moves there.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.path === '/docs') {
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, `docs/${query < 0 ? '' : req.originalUrl.slice(query)}`);
      return;
    }
    next();
  });
  const builder = new DocumentBuilder()
    .setTitle('mcp-auth-gateway authorization server')
    .setDescription(
      'OAuth 2.1 authorization server for MCP clients: discovery (RFC 8414), authorization code with PKCE ' +
        '(RFC 7636), dynamic client registration (RFC 7591), revocation (RFC 7009), introspection (RFC 7662), ' +
        'JWT access tokens (RFC 9068) bound to the MCP resource (RFC 8707).',
    )
    .setVersion('1.0')
    .addOAuth2({ type: 'oauth2', flows: oauthFlowsFor(config.publicUrl.publicUrl) }, OAUTH2_SCHEME)
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'client_id:client_secret' },
      'client_secret_basic',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Initial access token' },
      'initial_access_token',
    )
    .build();
  const document = completeDocument(SwaggerModule.createDocument(app, builder), throttledOperations(app));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    customSiteTitle: 'authz API',
    patchDocumentOnRequest: <TRequest, TResponse>(req: TRequest, _res: TResponse, doc: OpenAPIObject) =>
      forIssuer(doc, issuerFor(req as unknown as Request, config.publicUrl)),
    swaggerOptions: {
      persistAuthorization: false,
      initOAuth: {
        clientId: SWAGGER_UI_CLIENT_ID,
        usePkceWithAuthorizationCodeGrant: true,
        scopes: [...ALL_MCP_SCOPES],
      },
    },
  });
}
