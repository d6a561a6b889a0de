import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { hostnameOfHost } from '@app/config';
import { mcpConfig } from '../config/mcp.config';
import { JsonRpcHttpException } from '../auth/auth.exceptions';

/**
 * DNS-rebinding protection (MCP Streamable HTTP, "Security Warning"): a browser Origin must be on the allow-list,
 * and Host / X-Forwarded-Host must name the gateway's public host or an alias. The gateway forwards the client's
 * Host unchanged, so the SDK's localhost-only check would reject a real public name: it stays off and this
 * check applies the configured list instead.
 */
@Injectable()
export class OriginCheck {
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;

  constructor(@Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>) {
    this.origins = new Set(config.allowedOrigins);
    this.hosts = new Set(config.allowedHosts);
  }

  /** Throws the 403 refusal; returns when Origin and Host are acceptable. */
  check(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) {
      throw new JsonRpcHttpException(
        HttpStatus.FORBIDDEN,
        -32000,
        `Forbidden: Origin ${origin} is not allowed`,
      );
    }
    for (const name of ['host', 'x-forwarded-host'] as const) {
      const value = req.headers[name];
      if (value === undefined && name === 'x-forwarded-host') continue;
      const hostname = hostnameOfHost(value);
      if (!hostname || !this.hosts.has(hostname)) {
        throw new JsonRpcHttpException(
          HttpStatus.FORBIDDEN,
          -32000,
          `Forbidden: ${name} is not an allowed host`,
        );
      }
    }
  }
}
