import { createServer, type Server } from 'node:http';

/** The listener events a mirror must share with the app's server (its front doors take over `request`). */
const SHARED_EVENTS = ['request', 'checkContinue'] as const;

/**
 * A second server on [::1] that answers with the very listeners of `primary` (listening on 127.0.0.1), so a
 * loopback-only app is reachable whichever address `localhost` resolves to first (browsers and some resolvers
 * try ::1 first). Call after the front doors are mounted. Undefined where the machine has no IPv6 loopback.
 */
export function mirrorOnIpv6Loopback(primary: Server, port: number): Promise<Server | undefined> {
  const mirror = createServer({ keepAliveTimeout: primary.keepAliveTimeout });
  mirror.headersTimeout = primary.headersTimeout;
  for (const event of SHARED_EVENTS) {
    for (const listener of primary.listeners(event))
      mirror.on(event, listener as (...args: unknown[]) => void);
  }
  return new Promise((resolve) => {
    mirror.once('error', () => resolve(undefined));
    mirror.listen(port, '::1', () => resolve(mirror));
  });
}

export async function closeMirror(mirror: Server | undefined): Promise<void> {
  if (!mirror) return;
  mirror.closeAllConnections();
  await new Promise<void>((resolve) => mirror.close(() => resolve()));
}
