import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidClientError, InvalidRequestError } from '@app/oauth-errors';
import type { ClientRecord, TokenEndpointAuthMethod } from '@app/oauth-store';
import { clientSecretMatches } from './client-secret';
import { ClientsService } from './clients.service';

const CLIENT_AUTH_REALM = 'authz';

interface PresentedCredentials {
  method: TokenEndpointAuthMethod;
  clientId?: string;
  secret?: string;
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

function presented(req: Request, body: { client_id?: string; client_secret?: string }): PresentedCredentials {
  // Some clients (Swagger UI among them) send an empty secret for public clients: that is no secret at all.
  const bodySecret = body.client_secret === '' ? undefined : body.client_secret;
  const authorization = req.headers.authorization;
  if (authorization && /^basic /i.test(authorization)) {
    // RFC 6749 §2.3: a client must not use more than one authentication method per request.
    if (bodySecret !== undefined) {
      throw new InvalidRequestError('Use either HTTP Basic or client_secret in the body, not both.');
    }
    const basic = decodeBasic(authorization);
    if (body.client_id !== undefined && body.client_id !== basic.clientId) {
      throw new InvalidRequestError('client_id in the body differs from the Basic credentials.');
    }
    if (basic.secret === '') return { method: 'none', clientId: basic.clientId };
    return { method: 'client_secret_basic', clientId: basic.clientId, secret: basic.secret };
  }
  if (bodySecret !== undefined) {
    return { method: 'client_secret_post', clientId: body.client_id, secret: bodySecret };
  }
  return { method: 'none', clientId: body.client_id };
}

/** Client authentication at /token, /revoke and /introspect (RFC 6749 §2.3, §3.2.1). */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly clients: ClientsService) {}

  async authenticate(
    req: Request,
    body: { client_id?: string; client_secret?: string },
  ): Promise<ClientRecord> {
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
    if (client.tokenEndpointAuthMethod === 'none') {
      if (credentials.method !== 'none') throw fail('This is a public client; it has no secret.');
      return client;
    }
    if (credentials.method !== client.tokenEndpointAuthMethod || credentials.secret === undefined) {
      throw fail(`This client must authenticate with ${client.tokenEndpointAuthMethod}.`);
    }
    if (!clientSecretMatches(credentials.secret, client.clientSecretHash)) {
      throw fail('Unknown client or bad credentials.');
    }
    return client;
  }
}
