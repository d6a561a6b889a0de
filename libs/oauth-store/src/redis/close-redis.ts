import type { Redis } from 'ioredis';

/**
 * Closes an ioredis client for good: QUIT when connected (pending replies arrive first), else just stop
 * reconnecting; resolves once closed. Between two reconnect attempts there is no socket, and ioredis emits no
 * `end` for a disconnect then: waiting for one would hold a shutdown while Redis is down (until the app's grace
 * period forces the exit).
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const ended =
    client.status === 'reconnecting'
      ? Promise.resolve()
      : new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
  await ended;
}
