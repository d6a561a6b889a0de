import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditTrail } from '@app/observability';
import { InvalidClientMetadataError, InvalidRedirectUriError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import { formatScope, parseScope } from '@app/scopes';
import { ClientsService } from '../clients/clients.service';
import { randomToken } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { hashClientSecret } from '../clients/client-secret';
import { redirectUriProblem } from '../authorize/redirect-uri';
import type { ClientInformationDto } from './dto/client-information.dto';
import { SUPPORTED_GRANT_TYPES, type RegisterClientDto } from './dto/register-client.dto';

const ECHOED = [
  'application_type',
  'client_uri',
  'logo_uri',
  'tos_uri',
  'policy_uri',
  'contacts',
  'software_id',
  'software_version',
] as const;

/** Dynamic client registration (RFC 7591 §3). */
@Injectable()
export class ClientRegistrationService {
  constructor(
    private readonly clients: ClientsService,
    private readonly audit: AuditTrail,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async register(request: RegisterClientDto): Promise<ClientInformationDto> {
    for (const uri of request.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new InvalidRedirectUriError(`redirect_uri ${problem}.`);
    }
    const grantTypes = [...new Set(request.grant_types ?? ['authorization_code'])];
    const responseTypes = [...new Set(request.response_types ?? ['code'])];
    if (grantTypes.some((type) => !(SUPPORTED_GRANT_TYPES as readonly string[]).includes(type))) {
      throw new InvalidClientMetadataError(
        'grant_types may contain only authorization_code and refresh_token.',
      );
    }
    if (responseTypes.some((type) => type !== 'code')) {
      throw new InvalidClientMetadataError('response_types may contain only code.');
    }
    // RFC 7591 §2.1: authorization_code goes with response type code, and vice versa.
    if (!grantTypes.includes('authorization_code') || !responseTypes.includes('code')) {
      throw new InvalidClientMetadataError(
        'grant_types must include authorization_code with response_types code.',
      );
    }
    // An empty scope is treated as absent: some clients send "" when the resource advertised none. Scopes this
    // server does not know are dropped (RFC 7591 §2 lets the server replace the requested values).
    const asked = parseScope(request.scope);
    const resources = this.config.resources;
    const known = asked.filter((scope) => resources.isGrantable(scope));
    if (asked.length > 0 && known.length === 0) {
      throw new InvalidClientMetadataError(`scope may contain only: ${resources.grantableScopes.join(' ')}.`);
    }
    const scopes = known.length === 0 ? [...resources.resourceScopes] : known;
    // RFC 7591 §2: the default method is client_secret_basic.
    const method = request.token_endpoint_auth_method ?? 'client_secret_basic';
    const secret = method === 'none' ? undefined : randomToken();
    const metadata = Object.fromEntries(
      ECHOED.filter((key) => request[key] !== undefined).map((key) => [key, request[key]]),
    );
    const client: ClientRecord = {
      clientId: randomToken(16),
      clientSecretHash: secret === undefined ? undefined : hashClientSecret(secret),
      clientName: request.client_name,
      redirectUris: [...new Set(request.redirect_uris)],
      grantTypes,
      responseTypes,
      tokenEndpointAuthMethod: method,
      scopes,
      clientIdIssuedAt: Math.floor(Date.now() / 1000),
      metadata,
    };
    await this.clients.register(client);
    this.audit.record({
      type: 'client.registered',
      client_id: client.clientId,
      client_name: client.clientName,
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: method,
    });
    return {
      client_id: client.clientId,
      ...(secret === undefined ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
      client_id_issued_at: client.clientIdIssuedAt,
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: method,
      grant_types: grantTypes,
      response_types: responseTypes,
      ...(client.clientName === undefined ? {} : { client_name: client.clientName }),
      scope: formatScope(scopes),
      ...metadata,
    };
  }
}
