import { createParser } from 'eventsource-parser';
import type { RevocationEvent } from '@app/resource-server';

export interface RevocationStreamReader {
  response: Response;
  /** Every event so far, in order. */
  events: RevocationEvent[];
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (event: RevocationEvent) => boolean, timeoutMs?: number): Promise<RevocationEvent>;
  close(): void;
}

/** Reads authz's revocation stream as a resource server would, keeping every event. */
export async function readRevocationStream(url: string): Promise<RevocationStreamReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: abort.signal });
  const events: RevocationEvent[] = [];
  const waiters = new Set<() => void>();
  const parser = createParser({
    onEvent: (message) => {
      events.push(JSON.parse(message.data) as RevocationEvent);
      for (const wake of waiters) wake();
    },
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted
    }
  })();
  return {
    response,
    events,
    next: (match, timeoutMs = 2000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching revocation event within ${timeoutMs} ms: ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => abort.abort(),
  };
}
