import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The smallest useful upstream: a fixed JSON document, like a cached discovery response. */
const body = JSON.stringify({ issuer: 'http://127.0.0.1', token_endpoint: 'http://127.0.0.1/token' });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
