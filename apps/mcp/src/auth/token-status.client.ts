import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { McpConfig } from '../config/mcp.config';
import { MCP_CONFIG_TOKEN } from '../config/mcp-config.token';
import { AuthUnavailableException } from './auth.exceptions';

const MAX_STATUS_BODY = 4096;

/**
 * Asks authz whether a token's `jti` was revoked (`GET /internal/token-status?jti=` -> `{"revoked": bool}`).
 * Asked on every request over a keep-alive agent; anything but a clear answer fails closed with 503.
 */
@Injectable()
export class TokenStatusClient implements OnApplicationShutdown {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;

  constructor(@Inject(MCP_CONFIG_TOKEN) private readonly config: McpConfig) {
    this.url = new URL(`${config.authzInternalUrl}/internal/token-status`);
    const secure = this.url.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.request = secure ? httpsRequest : httpRequest;
  }

  async isRevoked(jti: string): Promise<boolean> {
    const url = new URL(this.url);
    url.searchParams.set('jti', jti);
    const answer = await this.get(url).catch(() => undefined);
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

  private get(url: URL): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = this.request(
        url,
        { method: 'GET', agent: this.agent, timeout: this.config.env.MCP_AUTHZ_TIMEOUT_MS },
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
