import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { RATE_LIMIT_STORAGE } from '@app/oauth-store';
import { mcpConfig } from '../config/mcp.config';

/** The throttler name of tool calls: Redis keys `mcp:throttle:tools:<sub>`, apart from authz's counters. */
const THROTTLER = 'tools';

export type ToolCallAdmission =
  { admitted: true; release(): void } | { admitted: false; retryAfterSeconds: number; reason: string };

/**
 * Tool calls per subject (the token's `sub`, whatever the client), as MCP requires of servers ("Rate limit tool
 * invocations", server/tools, Security): at most MCP_TOOL_MAX_CONCURRENT running at once on this instance, and
 * at most MCP_TOOL_RATE_LIMIT per MCP_TOOL_RATE_WINDOW_MS, counted by @nestjs/throttler's storage: in Redis when
 * STORE_URL is set (every instance shares one budget), else in this process. While Redis cannot be reached the
 * count falls back to this process, so the limit holds per instance instead of failing every call.
 */
@Injectable()
export class ToolCallLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(ToolCallLimiter.name);
  private readonly running = new Map<string, number>();
  private readonly local = new ThrottlerStorageService();
  private sharedDown = false;

  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    @Optional() @Inject(RATE_LIMIT_STORAGE) private readonly shared?: ThrottlerStorage,
  ) {}

  async admit(sub: string): Promise<ToolCallAdmission> {
    const { MCP_TOOL_MAX_CONCURRENT: maxRunning, MCP_TOOL_RATE_LIMIT: limit } = this.config.env;
    const windowMs = this.config.env.MCP_TOOL_RATE_WINDOW_MS;
    const running = this.running.get(sub) ?? 0;
    if (running >= maxRunning) {
      return {
        admitted: false,
        retryAfterSeconds: 1,
        reason: `at most ${maxRunning} tool calls may run at once`,
      };
    }
    // The slot is held while the count is asked, so concurrent calls cannot all pass the check above.
    this.running.set(sub, running + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.running.get(sub) ?? 1) - 1;
      if (left > 0) this.running.set(sub, left);
      else this.running.delete(sub);
    };
    const count = await this.count(sub, windowMs, limit);
    if (count.isBlocked) {
      release();
      const seconds = Math.round(windowMs / 1000);
      return {
        admitted: false,
        retryAfterSeconds: Math.max(1, count.timeToBlockExpire),
        reason: `at most ${limit} tool calls per ${seconds} s`,
      };
    }
    return { admitted: true, release };
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }

  private async count(sub: string, windowMs: number, limit: number) {
    if (this.shared) {
      try {
        const record = await this.shared.increment(sub, windowMs, limit, 0, THROTTLER);
        if (this.sharedDown) this.logger.log('tool-call counters shared through Redis again');
        this.sharedDown = false;
        return record;
      } catch {
        if (!this.sharedDown) this.logger.warn('Redis unreachable: counting tool calls in this process');
        this.sharedDown = true;
      }
    }
    return this.local.increment(sub, windowMs, limit, 0, THROTTLER);
  }
}
