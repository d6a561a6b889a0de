import { createServer, type AddressInfo } from 'node:net';

/**
 * An ephemeral loopback port that was free a moment ago. Needed where a server's own port must be known
 * before it starts (the gateway's PUBLIC_URL, the Inspector's fixed CLIENT_PORT). The OS hands out ports
 * from the same range for outgoing connections, so a fixed guess could collide with a TIME_WAIT socket;
 * asking the kernel avoids that.
 */
export async function reservePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
