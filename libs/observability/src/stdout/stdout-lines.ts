import { destination, type DestinationStream } from 'pino';

/**
 * How lines leave for stdout: in batches, once 4 KiB have gathered or 200 ms have passed. A synchronous write per
 * line (an access line per request, an audit line per tool call) cost a quarter of a proxied request's CPU.
 */
export const STDOUT_BATCH = { minLength: 4096, periodicFlushMs: 200 } as const;

let shared: DestinationStream | undefined;

/**
 * THE writer of the process's stdout lines: JSON logs and the `stdout` audit sink share it, so their lines stay
 * whole and in order whatever the batching. pino flushes it synchronously when the process exits (process.exit
 * after a graceful shutdown, a crash, the end of the event loop), so no line is lost then; a process killed with
 * SIGKILL loses at most the last 200 ms.
 */
export function stdoutLines(): DestinationStream {
  shared ??= destination({
    dest: 1,
    sync: false,
    minLength: STDOUT_BATCH.minLength,
    periodicFlush: STDOUT_BATCH.periodicFlushMs,
  } as Parameters<typeof destination>[0]);
  return shared;
}
