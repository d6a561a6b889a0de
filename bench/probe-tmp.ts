import autocannon from 'autocannon';
import { startChild } from './support/child';
async function main() {
  const upstream = await startChild('support/static-upstream.server.ts');
  const raw = await startChild('support/raw-proxy-tmp.server.ts', { AUTHZ_UPSTREAM_URL: upstream.url });
  const nolog = await startChild('support/gateway-nolog-tmp.server.ts', { AUTHZ_UPSTREAM_URL: upstream.url, MCP_UPSTREAM_URL: upstream.url });
  const gateway = await startChild('support/gateway.server.ts', { AUTHZ_UPSTREAM_URL: upstream.url, MCP_UPSTREAM_URL: upstream.url });
  for (let i = 0; i < 3; i++)
  for (const [name, url] of [['upstream', upstream.url + '/x'], ['raw-http-proxy', raw.url + '/.well-known/jwks.json'], ['nolog', nolog.url + '/.well-known/jwks.json'], ['gateway', gateway.url + '/.well-known/jwks.json']]) {
    const r = await autocannon({ url, connections: 32, duration: 3 });
    console.log(name, r.requests.average, r.latency.p50, r.latency.p99, r.non2xx, r.errors);
  }
  await gateway.stop(); await upstream.stop(); await raw.stop();
}
main();
