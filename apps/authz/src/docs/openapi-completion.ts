import { RequestMethod, type INestApplication } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ALL_MCP_SCOPES } from '@app/scopes';

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = Extract<OperationObject['responses'][string], { description: string }>;

const ERROR_SCHEMA = { $ref: '#/components/schemas/OAuthErrorResponseDto' };
const errorResponse = (description: string, headers?: ResponseObject['headers']): ResponseObject => ({
  description,
  content: { 'application/json': { schema: ERROR_SCHEMA } },
  ...(headers ? { headers } : {}),
});

/** The routes whose handler or controller runs ThrottlerGuard: `post /token`, ... (document path form). */
export function throttledOperations(app: INestApplication): Set<string> {
  const found = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const guarded = (target: object) =>
        ((Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? []).includes(
          ThrottlerGuard,
        );
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined || !(guarded(metatype) || guarded(handler))) continue;
        const joined = [base, path].flatMap((part) => part.split('/')).filter((part) => part !== '');
        const templated = joined.map((part) => part.replace(/^:(.+)$/, '{$1}'));
        found.add(`${RequestMethod[method].toLowerCase()} /${templated.join('/')}`);
      }
    }
  }
  return found;
}

/** The operations a public client may call with its bearer token (BearerCaller): what Authorize's token is for. */
const TAKES_A_TOKEN = ['post /introspect', 'post /revoke'];

/** The MCP server's protected-resource metadata, reached through the same gateway origin (RFC 9728). */
const PROTECTED_RESOURCE: OperationObject = {
  operationId: 'McpProtectedResourceMetadata',
  tags: ['mcp'],
  summary: 'Protected resource metadata of /mcp (RFC 9728): where its tokens come from, which scopes exist',
  description:
    'Served by the MCP server. An MCP client that gets 401 from /mcp reads this document (named in the ' +
    '`WWW-Authenticate: Bearer resource_metadata="..."` challenge) to find this authorization server.',
  responses: {
    200: {
      description: '`resource`, `authorization_servers`, `scopes_supported`, `bearer_methods_supported`',
      content: { 'application/json': { schema: { type: 'object' } } },
    },
  },
};

/**
 * Completes the generated OpenAPI document with what the decorators cannot say in one place: 429 wherever the
 * rate limit applies (read from the routes' guards), 400 wherever a request is validated, 401 wherever a caller
 * authenticates; the OAuth2 scheme on the operations that take a token; the MCP side of the gateway.
 */
export function completeDocument(document: OpenAPIObject, throttled: ReadonlySet<string>): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const key = `${method} ${path}`;
      const responses = operation.responses;
      if (throttled.has(key)) {
        responses[429] ??= errorResponse(
          'Too many requests from this client (AUTHZ_RATE_LIMIT_MAX per window)',
          {
            'Retry-After': {
              description: 'Seconds until the window allows another request',
              schema: { type: 'integer' },
            },
          },
        );
      }
      if (operation.requestBody || (operation.parameters ?? []).length > 0) {
        responses[400] ??= errorResponse(
          'invalid_request (or the endpoint’s own error code): a malformed request',
        );
      }
      if (TAKES_A_TOKEN.includes(key)) {
        operation.security = [...(operation.security ?? []), { oauth2: [] }];
      }
      if ((operation.security ?? []).length > 0) {
        responses[401] ??= errorResponse('The caller did not authenticate: invalid_client or invalid_token');
      }
    }
  }
  document.paths['/.well-known/oauth-protected-resource/mcp'] = { get: PROTECTED_RESOURCE };
  document.tags = [...(document.tags ?? []), { name: 'mcp', description: MCP_DESCRIPTION }];
  return document;
}

const MCP_DESCRIPTION =
  'The MCP endpoint is `/mcp` on this same origin (MCP Streamable HTTP: POST JSON-RPC, GET an event stream, ' +
  'DELETE a session). Call it with an MCP client rather than from here: it needs `Accept: application/json, ' +
  'text/event-stream`, which a browser page cannot set. It takes the access token Authorize obtains ' +
  '(`Authorization: Bearer`); without one it answers 401 with `WWW-Authenticate: Bearer resource_metadata=...`, ' +
  'and a method whose scope the token lacks 403 `insufficient_scope` naming the scope ' +
  `(${ALL_MCP_SCOPES.join(', ')}).`;
