import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { mcpConfig } from '../config/mcp.config';
import { MCP_PATH, PRM_PATH } from '../transport/mcp-request';
import { publicBaseOf } from '../transport/public-base';

/** RFC 9728 §2 Protected Resource Metadata for the /mcp resource. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}

/**
 * Served at the path-suffixed well-known URL (RFC 9728 §3.1, what MCP clients try first) and at the root form
 * for clients that ignore the path. Both are built on the alias the client used, so `resource` matches the URL
 * it connected to (RFC 9728 §3.3) and the issuer it will discover.
 */
@Controller()
export class ResourceMetadataController {
  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}

  @Get([`${PRM_PATH}${MCP_PATH}`, PRM_PATH])
  // Varies with the alias used, so shared caches must key on the host headers.
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Vary', 'Host, X-Forwarded-Host, X-Forwarded-Proto')
  metadata(@Req() req: Request): ProtectedResourceMetadata {
    const base = publicBaseOf(req, this.config.publicUrl);
    return {
      resource: `${base}${MCP_PATH}`,
      authorization_servers: [base],
      scopes_supported: [...ALL_MCP_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: 'MCP Auth Gateway demo server',
    };
  }
}
