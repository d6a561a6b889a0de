import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { InvalidClientError, InvalidRequestError } from '@app/oauth-errors';
import type { ClientRecord, TokenEndpointAuthMethod } from '@app/oauth-store';
import { issuerFor } from '../common/public-urls';
import { authzConfig } from '../config/authz.config';
import { clientSecretMatches } from './client-secret';
import { ClientsService } from './clients.service';
import { PrivateKeyJwtVerifier } from './private-key-jwt.verifier';

const CLIENT_AUTH_REALM = 'authz';
/** RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The client-authentication parameters of a request body (RFC 6749 §2.3.1, RFC 7521 §4.2). */
export interface ClientCredentialsBody {
  client_id?: string;
  client_secret?: string;
  client_assertion_type?: string;
  client_assertion?: string;
}

interface PresentedCredentials {
  method: TokenEndpointAuthMethod;
  clientId?: string;
  secret?: string;
  assertion?: string;
}

const malformedBasic = () =>
  new InvalidClientError('Malformed Basic credentials.', { scheme: 'Basic', realm: CLIENT_AUTH_REALM });

function decodeBasic(header: string): { clientId: string; secret: string } {
  const encoded = header.slice(6).trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/]+=*$/.test(encoded) || colon < 0) throw malformedBasic();
  try {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw malformedBasic();
  }
}

/** RFC 7521 §4.2: client_id may be omitted when the assertion names the client (its `sub`). */
function presentedAssertion(body: ClientCredentialsBody): PresentedCredentials {
  if (body.client_assertion_type !== JWT_BEARER_ASSERTION_TYPE || !body.client_assertion) {
    throw new InvalidRequestError(
      `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}, with a client_assertion.`,
    );
  }
  let subject: unknown;
  try {
    subject = decodeJwt(body.client_assertion).sub;
  } catch {
    throw new InvalidClientError('The client assertion is not a JWT.');
  }
  if (body.client_id !== undefined && body.client_id !== subject) {
    throw new InvalidRequestError('client_id differs from the sub of the client assertion.');
  }
  return {
    method: 'private_key_jwt',
    clientId: typeof subject === 'string' ? subject : undefined,
    assertion: body.client_assertion,
  };
}

function presented(req: Request, body: ClientCredentialsBody): PresentedCredentials {
  // Some clients (Swagger UI among them) send an empty secret for public clients: that is no secret at all.
  const bodySecret = body.client_secret === '' ? undefined : body.client_secret;
  const assertion = body.client_assertion !== undefined || body.client_assertion_type !== undefined;
  const authorization = req.headers.authorization;
  const basic = authorization !== undefined && /^basic /i.test(authorization);
  // RFC 6749 §2.3: a client must not use more than one authentication method per request.
  if ([basic, bodySecret !== undefined, assertion].filter(Boolean).length > 1) {
    throw new InvalidRequestError(
      'Use one client authentication method: Basic, client_secret or client_assertion.',
    );
  }
  if (assertion) return presentedAssertion(body);
  if (basic) {
    const credentials = decodeBasic(authorization);
    if (body.client_id !== undefined && body.client_id !== credentials.clientId) {
      throw new InvalidRequestError('client_id in the body differs from the Basic credentials.');
    }
    if (credentials.secret === '') return { method: 'none', clientId: credentials.clientId };
    return { method: 'client_secret_basic', clientId: credentials.clientId, secret: credentials.secret };
  }
  if (bodySecret !== undefined) {
    return { method: 'client_secret_post', clientId: body.client_id, secret: bodySecret };
  }
  return { method: 'none', clientId: body.client_id };
}

/**
 * Client authentication at /token, /revoke and /introspect (RFC 6749 §2.3, §3.2.1): a client authenticates with
 * exactly the method it registered (or its metadata document declares), never a weaker one.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientsService,
    private readonly assertions: PrivateKeyJwtVerifier,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  /** `endpoint` is the path called (`/token`, `/revoke`, `/introspect`): an assertion may name it as `aud`. */
  async authenticate(req: Request, body: ClientCredentialsBody, endpoint = '/token'): Promise<ClientRecord> {
    const credentials = presented(req, body);
    // RFC 6749 §5.2: when the client tried Basic, the 401 must carry a Basic challenge.
    const fail = (description: string) =>
      new InvalidClientError(
        description,
        credentials.method === 'client_secret_basic'
          ? { scheme: 'Basic', realm: CLIENT_AUTH_REALM }
          : undefined,
      );
    if (!credentials.clientId) {
      throw new InvalidRequestError('client_id is required (or HTTP Basic client authentication).');
    }
    const client = await this.clients.find(credentials.clientId);
    if (!client) throw fail('Unknown client or bad credentials.');
    const required = client.tokenEndpointAuthMethod;
    if (required === 'none') {
      if (credentials.method !== 'none') throw fail('This is a public client; it has no secret.');
      return client;
    }
    if (credentials.method !== required) throw fail(`This client must authenticate with ${required}.`);
    if (required === 'private_key_jwt') {
      // RFC 7523 §3: the audience is this server: its issuer identifier, its token endpoint URL (which clients
      // also use at the revocation and introspection endpoints) or the endpoint called.
      const issuer = issuerFor(req, this.config.publicUrl);
      const audiences = [...new Set([issuer, `${issuer}/token`, `${issuer}${endpoint}`])];
      await this.assertions.verify(client, credentials.assertion!, audiences);
      return client;
    }
    if (
      credentials.secret === undefined ||
      !clientSecretMatches(credentials.secret, client.clientSecretHash)
    ) {
      throw fail('Unknown client or bad credentials.');
    }
    return client;
  }
}
