import type { McpServer } from '@modelcontextprotocol/server';

/**
 * How a server object serves: one 2026-07-28 request at a time from a pool (`modern`), one 2025 session for its
 * lifetime (`session`), or one 2025 request at a time without sessions (`stateless`, MCP_STATELESS).
 */
export type ServingMode = 'modern' | 'session' | 'stateless';

/** A server object with the bookkeeping that makes reusing it safe. */
export interface BuiltServer {
  readonly server: McpServer;
  readonly mode: ServingMode;
  /** Handlers of this server still running. */
  active: number;
  /** Run once when `active` drops to zero (a pooled server waiting to be reused). */
  onIdle?: () => void;
}

/**
 * Runs one handler of `built`, counted: a handler still running after its exchange ended (the client went away)
 * may yet send a notification, and the SDK sends notifications on the server's *current* transport, so the
 * server must not serve anyone else until it finishes.
 */
export async function track<T>(built: BuiltServer, run: () => Promise<T>): Promise<T> {
  built.active++;
  try {
    return await run();
  } finally {
    if (--built.active === 0 && built.onIdle) {
      const idle = built.onIdle;
      built.onIdle = undefined;
      idle();
    }
  }
}
