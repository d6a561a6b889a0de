import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  LoggingLevelSchema,
  type LoggingLevel,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallContext } from '../registry/registry.types';

export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Per server object (one per session, or one pooled stateless server): the level chosen with logging/setLevel. */
export interface ServerState {
  level: LoggingLevel;
}

/**
 * Without logging/setLevel the server chooses (MCP logging): warnings and above only, so a client that never
 * asked for logs is not sent a notification on every call (nor made to take an SSE answer for it).
 */
export const DEFAULT_LOG_LEVEL: LoggingLevel = 'warning';

const SEVERITY = new Map(LoggingLevelSchema.options.map((level, index) => [level, index]));

function isLevelEnabled(level: LoggingLevel, threshold: LoggingLevel): boolean {
  return (SEVERITY.get(level) ?? 0) >= (SEVERITY.get(threshold) ?? 0);
}

/** The caller as the handlers see it. `authInfo` was set by BearerAuthenticator on every /mcp request. */
export function callContextFor(extra: HandlerExtra, state: ServerState): CallContext {
  const auth = extra.authInfo;
  const sub = (auth?.extra?.sub as string | undefined) ?? '';
  return {
    sub,
    clientId: auth?.clientId ?? '',
    scopes: auth?.scopes ?? [],
    signal: extra.signal,
    log: async (level, data) => {
      if (!isLevelEnabled(level, state.level)) return;
      // Related to the current request, so the notification travels on that request's SSE stream.
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level, logger: 'mcp', data },
      });
    },
  };
}
