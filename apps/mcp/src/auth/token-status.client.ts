import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { mcpConfig } from '../config/mcp.config';
import { AuthUnavailableException } from './auth.exceptions';

const MAX_STATUS_BODY = 4096;

/**
 * Asks authz whether a token's `jti` was revoked (`GET /internal/token-status?jti=` -> `{"revoked": bool}`).
 * Asked on every request over a keep-alive agent; anything but a clear answer fails closed with 503.
 */
@Injectable()
export class TokenStatusClient implements OnApplicationShutdown {
  /** Fixed request options; only the path (with the jti) changes per call, so no URL is parsed per request. */
  private readonly target: { protocol: string; hostname: string; port: string; path: string };
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {
    const url = new URL(`${config.authzInternalUrl}/internal/token-status`);
    const secure = url.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.request = secure ? httpsRequest : httpRequest;
    const { protocol, hostname, port, pathname } = url;
    this.target = { protocol, hostname: hostname.replace(/^\[|\]$/g, ''), port, path: `${pathname}?jti=` };
  }

  async isRevoked(jti: string): Promise<boolean> {
    const answer = await this.get(this.target.path + encodeURIComponent(jti)).catch(() => undefined);
    if (!answer || answer.status !== 200) throw this.unavailable();
    let revoked: unknown;
    try {
      revoked = (JSON.parse(answer.body) as { revoked?: unknown }).revoked;
    } catch {
      throw this.unavailable();
    }
    if (typeof revoked !== 'boolean') throw this.unavailable();
    return revoked;
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }

  private unavailable(): AuthUnavailableException {
    return new AuthUnavailableException('The authorization server could not confirm the token status');
  }

  private get(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = this.request(
        {
          ...this.target,
          path,
          method: 'GET',
          agent: this.agent,
          timeout: this.config.env.MCP_AUTHZ_TIMEOUT_MS,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
            if (body.length > MAX_STATUS_BODY) req.destroy(new Error('token status answer too large'));
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('token status timed out')));
      req.on('error', reject);
      req.end();
    });
  }
}
