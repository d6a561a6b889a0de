import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidRequestError, NotFoundError, PayloadTooLargeError, sendOAuthError } from '@app/oauth-errors';
import { isGrantId, REVOCATION_STREAM_PATH } from '@app/resource-server';
import { writeJson, type FrontDoor } from '@app/runtime';
import { TokenRevocationService } from '../revocation/token-revocation.service';

const MAX_BODY_BYTES = 512 * 1024;
const MAX_GRANTS = 10_000;
const NO_STORE = { 'Cache-Control': 'no-store' };

interface Announcement {
  grant_ids?: unknown;
  client_id?: unknown;
}

function readBody(req: IncomingMessage): Promise<Announcement> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new PayloadTooLargeError('The announcement is too large.'));
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw new Error('not an object');
        resolve(value as Announcement);
      } catch {
        reject(new InvalidRequestError('The body must be a JSON object.'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * POST /internal/revocations `{"grant_ids": [...], "client_id": "..."}`: re-announces revocations another process
 * (the admin CLI, sharing this authz's SQLite store) has already recorded, on this authz's push channel, so the
 * resource servers connected to it refuse those tokens at once. It grants no power: a grant is announced only if
 * the store says it is revoked, a client only if none of its grants is active; anything else is ignored.
 * Private like the rest of /internal: the gateway never routes it and a proxied request gets 404.
 */
@Injectable()
export class RevocationAnnounceFrontDoor implements FrontDoor {
  constructor(private readonly revocation: TokenRevocationService) {}

  matches(req: IncomingMessage, path: string): boolean {
    return path === REVOCATION_STREAM_PATH && req.method === 'POST';
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      if (req.headers['x-forwarded-for'] !== undefined) throw new NotFoundError('No such endpoint.');
      const body = await readBody(req);
      const ids = body.grant_ids ?? [];
      if (!Array.isArray(ids) || ids.length > MAX_GRANTS || !ids.every(isGrantId)) {
        throw new InvalidRequestError(`grant_ids must be at most ${MAX_GRANTS} grant ids.`);
      }
      const clientId = body.client_id;
      if (
        clientId !== undefined &&
        (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 256)
      ) {
        throw new InvalidRequestError('client_id must be a client id.');
      }
      const grants = await this.revocation.announceRevokedGrants(ids);
      const client = clientId === undefined ? false : await this.revocation.announceRevokedClient(clientId);
      writeJson(res, 200, { announced: { grants, client } }, NO_STORE);
    } catch (error) {
      sendOAuthError(res, error);
    }
  }
}
