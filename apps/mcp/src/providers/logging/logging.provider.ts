import { Injectable } from '@nestjs/common';
import type { ReadResourceResult } from '@modelcontextprotocol/server';
import { MCP_SCOPES, RequireScopes } from '@app/scopes';
import { Resource } from '../../registry/registry.decorators';
import type { CallContext } from '../../registry/registry.types';
import { AuditLogService } from './audit-log.service';

/**
 * The audit side of logging (the MCP logging capability itself is wired into every server: logging/setLevel
 * and notifications/message during tool calls).
 */
@Injectable()
export class LoggingProvider {
  constructor(private readonly audit: AuditLogService) {}

  @Resource({
    name: 'audit-recent',
    title: 'Recent calls',
    description:
      'Your most recent tool, resource and prompt calls: time, sub, client_id, method, tool, outcome, duration.',
    uri: 'audit://recent',
    mimeType: 'application/json',
  })
  @RequireScopes(MCP_SCOPES.resourcesRead)
  read(uri: URL, _variables: unknown, ctx: CallContext): Promise<ReadResourceResult> {
    const entries = this.audit.recentFor(ctx.sub);
    return Promise.resolve({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(entries, null, 2) }],
    });
  }
}
