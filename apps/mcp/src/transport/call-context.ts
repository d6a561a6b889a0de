import type { AuthInfo, ServerContext } from '@modelcontextprotocol/server';
import type { CallContext } from '../registry/registry.types';

/** The token's subject, as BearerAuthenticator left it on every /mcp request. */
export function subjectOf(auth: AuthInfo | undefined): string {
  return (auth?.extra?.sub as string | undefined) ?? '';
}

/** The caller as the handlers see it, from the SDK's context of the request being handled. */
export function callContextFor(ctx: ServerContext): CallContext {
  const auth = ctx.http?.authInfo;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  return {
    sub: subjectOf(auth),
    clientId: auth?.clientId ?? '',
    scopes: auth?.scopes ?? [],
    signal: ctx.mcpReq.signal,
    // The SDK applies the level the client chose and relates the message to this request's stream.
    log: (level, data) => ctx.mcpReq.log(level, data, 'mcp'),
    progress: async (progress, total, message) => {
      if (progressToken === undefined) return;
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken, progress, total, message },
      });
    },
    mcp: ctx,
  };
}
