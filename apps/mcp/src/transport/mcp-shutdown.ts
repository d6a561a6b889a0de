import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { mcpConfig } from '../config/mcp.config';
import { CallDrain } from './call-drain';
import { ModernHttpService } from './modern-http.service';
import { SessionStore } from './session.store';

/** What is kept of SHUTDOWN_GRACE_MS for answering unfinished calls and closing streams before the cut. */
const marginOf = (graceMs: number) => Math.min(1000, Math.floor(graceMs / 5));

/**
 * mcp's part of a graceful stop, after the HTTP listener stopped accepting (runMain) and before Nest closes the
 * server: running tool, resource and prompt calls get until shortly before SHUTDOWN_GRACE_MS to finish; any still
 * running then is answered with a JSON-RPC error on its own stream; then the 2025 sessions and the 2026-07-28
 * subscription streams close, so their clients see a clean end. Worker processes stop after this
 * (MathSandbox, on application shutdown).
 */
@Injectable()
export class McpShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(McpShutdown.name);

  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly calls: CallDrain,
    private readonly sessions: SessionStore,
    private readonly modern: ModernHttpService,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const grace = this.config.env.SHUTDOWN_GRACE_MS;
    if (this.calls.size > 0) this.logger.log(`waiting for ${this.calls.size} running calls`);
    const unfinished = await this.calls.drain(grace - marginOf(grace));
    if (unfinished > 0) {
      this.logger.warn(`${unfinished} calls still running at shutdown were answered with a JSON-RPC error`);
    }
    // The answers are written on their streams before the streams are closed under them.
    await nextTurn();
    this.sessions.closeAll();
    await this.modern.close();
  }
}
