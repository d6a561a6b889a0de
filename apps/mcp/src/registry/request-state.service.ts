import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  createRequestStateCodec,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { mcpConfig } from '../config/mcp.config';

/**
 * The `requestState` of multi-round-trip requests (MCP 2026-07-28 basic/patterns/mrtr): it travels through the
 * client, so it is HMAC-SHA256 signed (the SDK's codec), expires after MCP_REQUEST_STATE_TTL_SECONDS, and is
 * bound to the method and the principal (token subject and client) it was minted for: replayed by anyone else,
 * for another method, or late, it is refused with -32602 before any handler runs.
 */
@Injectable()
export class RequestStateService {
  private readonly codec: RequestStateCodec;

  constructor(@Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>) {
    this.codec = createRequestStateCodec({
      key: config.requestStateKey,
      ttlSeconds: config.env.MCP_REQUEST_STATE_TTL_SECONDS,
      bind: (ctx) => {
        const auth = ctx.http?.authInfo;
        return [ctx.mcpReq.method, (auth?.extra?.sub as string | undefined) ?? '', auth?.clientId ?? ''].join(
          '\0',
        );
      },
    });
  }

  /** Seals `payload` for the request being handled; the client echoes it back on its retry. */
  mint(payload: unknown, ctx: ServerContext): Promise<string> {
    return this.codec.mint(payload, ctx);
  }

  /** ServerOptions.requestState.verify: the payload, or a throw the SDK answers with -32602. */
  readonly verify = (state: string, ctx: ServerContext): Promise<unknown> => this.codec.verify(state, ctx);
}
