import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

/**
 * The request being served, for code far from it that wants to name it (audit events carry the request id the
 * access log shows). Set by HttpServerObserver around everything a request runs.
 */
const scope = new AsyncLocalStorage<IncomingMessage>();

export function runInRequestScope(req: IncomingMessage, run: () => void): void {
  scope.run(req, run);
}

/** The id of the request being served (assigned by the logger: a client's well-formed X-Request-Id, or new). */
export function currentRequestId(): string | undefined {
  const id = scope.getStore()?.id;
  return id === undefined ? undefined : String(id);
}
