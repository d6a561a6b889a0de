import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
const agent = new Agent({ keepAlive: true, timeout: 4000 });
const proxy = httpProxy.createProxyServer({ target: process.env.AUTHZ_UPSTREAM_URL, agent });
proxy.on('error', (_e, _q, r) => { (r as any).statusCode = 502; (r as any).end(); });
const server = createServer((req, res) => proxy.web(req, res));
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => process.exit(0));
