import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { localhostAllowedOrigins, validateOriginHeader } from '@modelcontextprotocol/server';
import type { IncomingMessage } from 'node:http';
import { hostnameOfHost } from '@app/config';
import { mcpConfig } from '../config/mcp.config';
import { JsonRpcHttpException } from '../auth/auth.exceptions';

const LOOPBACK_HOSTNAMES = localhostAllowedOrigins();

/**
 * DNS-rebinding protection (MCP Streamable HTTP, "Security Warning"): a browser Origin must be on the allow-list,
 * and Host / X-Forwarded-Host must name the gateway's public host or an alias. The gateway forwards the client's
 * Host unchanged, so the SDK's localhost-only Host check would reject a real public name; this check applies the
 * configured lists instead. Outside production a loopback Origin on any port is accepted too, exactly as the
 * SDK's localhost origin protection accepts it (local tools and test suites pick their own ports).
 */
@Injectable()
export class OriginCheck {
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;
  private readonly loopbackOrigins: boolean;

  constructor(@Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>) {
    this.origins = new Set(config.allowedOrigins);
    this.hosts = new Set(config.allowedHosts);
    this.loopbackOrigins = !config.production;
  }

  private isAllowedOrigin(origin: string): boolean {
    if (this.origins.has(origin)) return true;
    return this.loopbackOrigins && validateOriginHeader(origin, LOOPBACK_HOSTNAMES).ok;
  }

  /** Throws the 403 refusal; returns when Origin and Host are acceptable. */
  check(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.isAllowedOrigin(origin)) {
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
