import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { OutboundFetchError } from './outbound-fetch.error';
import { isLoopbackAddress } from './special-purpose-addresses';
import { resolveAll, vetHost, type HostResolver, type ResolvedAddress } from './vetted-address';

export interface OutboundPolicy {
  /** Tests only (refused in production): loopback addresses, and plain http to them. */
  allowLoopback: boolean;
  /** Whole fetch, DNS included. */
  timeoutMs: number;
  resolve?: HostResolver;
}

export interface FetchedResource {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A lookup that answers with the vetted address whatever it is asked, in both callback shapes Node uses. */
function pinnedLookup({ address, family }: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

function describeNetworkError(error: NodeJS.ErrnoException, url: URL, timeoutMs: number): string {
  if (error.name === 'AbortError' || error.name === 'TimeoutError')
    return `no complete answer from ${url.host} within ${timeoutMs} ms`;
  if (error.code === 'ECONNREFUSED') return `${url.host} refused the connection`;
  if (error.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(error.message))
    return `TLS with ${url.host} failed: ${error.message}`;
  return `fetching ${url.host} failed (${error.code ?? error.message})`;
}

function readCapped(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new OutboundFetchError(`the response is larger than ${maxBytes} bytes`));
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) reject(new OutboundFetchError('the response was cut off'));
    });
  });
}

/** Checks made on the headers, before a byte of the body is read. */
function checkHead(res: IncomingMessage, maxBytes: number): void {
  const status = res.statusCode ?? 0;
  // CIMD draft §5: redirects MUST NOT be followed automatically (each hop would need vetting anew).
  if (status >= 300 && status < 400)
    throw new OutboundFetchError(`redirects are not followed (HTTP ${status})`);
  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw new OutboundFetchError(`content-encoding ${encoding} was not asked for`);
  const length = Number(res.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes)
    throw new OutboundFetchError(`the response is larger than ${maxBytes} bytes`);
}

function request(url: URL, target: ResolvedAddress, accept: string, maxBytes: number, signal: AbortSignal) {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<FetchedResource>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(
      {
        protocol: url.protocol,
        hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { accept, 'accept-encoding': 'identity', 'user-agent': 'mcp-auth-gateway-authz' },
        lookup: pinnedLookup(target),
        // SNI carries names only; the certificate is still checked against the URL's host.
        servername: isIP(hostname) === 0 ? hostname : undefined,
        agent: false,
        signal,
      },
      (res) => {
        try {
          checkHead(res, maxBytes);
        } catch (error) {
          res.destroy();
          reject(error);
          return;
        }
        readCapped(res, maxBytes).then(
          (body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * GET of a URL a client handed us (a metadata document, a jwks_uri), made safe against SSRF: https only, every
 * address of the host public, the connection pinned to the vetted address, no redirects, identity encoding, the
 * body read as a stream up to `maxBytes`, and one deadline for all of it.
 */
export async function guardedGet(
  target: string,
  policy: OutboundPolicy,
  limits: { maxBytes: number; accept: string },
): Promise<FetchedResource> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundFetchError('not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLoopback))
    throw new OutboundFetchError('only https URLs are fetched');
  if (url.username || url.password) throw new OutboundFetchError('URLs with credentials are not fetched');
  const signal = AbortSignal.timeout(policy.timeoutMs);
  try {
    const address = await Promise.race([
      vetHost(url.hostname, policy.allowLoopback, policy.resolve ?? resolveAll),
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
      ),
    ]);
    if (url.protocol === 'http:' && !isLoopbackAddress(address.address))
      throw new OutboundFetchError('plain http is fetched from loopback addresses only');
    return await request(url, address, limits.accept, limits.maxBytes, signal);
  } catch (error) {
    if (error instanceof OutboundFetchError) throw error;
    throw new OutboundFetchError(describeNetworkError(error as NodeJS.ErrnoException, url, policy.timeoutMs));
  }
}
