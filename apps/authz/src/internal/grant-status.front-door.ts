import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendOAuthError } from '@app/oauth-errors';
import { GRANT_STATUS_PATH_PREFIX, isGrantId } from '@app/resource-server';
import { writeJson, type FrontDoor } from '@app/runtime';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import { assertInternalRequest } from './internal-request';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * GET /internal/grants/{grant_id} -> {"grant_id", "status": "active" | "revoked" | "unknown"}: a resource server
 * asks it the first time it sees a grant (and per request only while its revocation channel is down), answered
 * ahead of Express. Only well-formed grant ids match; other paths under /internal/grants reach Nest's 404.
 */
@Injectable()
export class GrantStatusFrontDoor implements FrontDoor {
  /** The caller (a resource server) logs the request it serves; one line per request is enough. */
  readonly accessLog = false;

  constructor(private readonly revocation: TokenRevocationService) {}

  routeOf(): string {
    return `${GRANT_STATUS_PATH_PREFIX}{grant_id}`;
  }

  matches(_req: IncomingMessage, path: string): boolean {
    return (
      path.startsWith(GRANT_STATUS_PATH_PREFIX) && isGrantId(path.slice(GRANT_STATUS_PATH_PREFIX.length))
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    // What helmet would add on a Nest route: a JSON answer is never sniffed as something else.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      assertInternalRequest(req, 'GET, HEAD');
      const grantId = path.slice(GRANT_STATUS_PATH_PREFIX.length);
      const status = await this.revocation.grantStatus(grantId);
      writeJson(res, 200, { grant_id: grantId, status }, NO_STORE);
    } catch (error) {
      sendOAuthError(res, error);
    }
  }
}
