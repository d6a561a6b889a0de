import { connect } from 'node:net';
import { inBatches, startAttackStack, type AttackStack } from './support/attack-stack';

/** How long a connection may stay silent before the case is considered answered in full. */
const IDLE_MS = 400;

interface Framing {
  label: string;
  /** The bytes sent, given the case's outer request target, the smuggled request and the Host value. */
  bytes(outer: string, inner: string, host: string): string;
}

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * A smuggled request: a second request hidden in the first one's body, to be read by an upstream that frames
 * the message differently from the gateway. Routed (to authz), so if it ever got through, authz would see it.
 */
const innerRequest = (target: string, host: string) => `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
const withLength = (head: string, body: string) =>
  `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const chunk = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;

const FRAMINGS: Framing[] = [
  {
    label: 'CL.TE: Content-Length and Transfer-Encoding: chunked',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'TE.CL: Transfer-Encoding first, then Content-Length',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n${chunk(i)}0\r\n\r\n`,
  },
  {
    label: 'two different Content-Length values',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0\r\nContent-Length: ${i.length}\r\n\r\n${i}`,
  },
  {
    label: 'two identical Content-Length values',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: ${i.length}\r\nContent-Length: ${i.length}\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length as a list',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0, ${i.length}\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length with a plus sign',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: +0\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length negative',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: -1\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length in hex',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0x0\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length with an inner space',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0 0\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length beyond 64 bits',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 99999999999999999999999\r\n\r\n${i}`,
  },
  {
    label: 'Content-Length after a tab',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length:\t0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding with a space before the colon',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding: xchunked',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding: chunked, identity',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding: identity, chunked',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding: chunked, chunked',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked, chunked\r\n\r\n${chunk(i)}0\r\n\r\n`,
  },
  {
    label: 'two Transfer-Encoding headers',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding folded onto the next line (obs-fold)',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'another header folded (obs-fold)',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n${i}`,
  },
  {
    label: 'Transfer-Encoding with a vertical tab',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding:\x0bchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'header lines ending in a bare LF',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\nHost: ${h}\nTransfer-Encoding: chunked\nContent-Length: 5\n\n0\r\n\r\n${i}`,
  },
  {
    label: 'a bare CR inside a header value',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nX-Split: a\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'a NUL inside a header value',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nX-Nul: a\x00b\r\nContent-Length: 0\r\n\r\n${i}`,
  },
  {
    label: 'chunk size with an extension',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n5;ext="x\r\n${i}"\r\nhello\r\n0\r\n\r\n`,
  },
  {
    label: 'chunk size with leading zeros',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n0005\r\nhello\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'chunk size negative',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'chunk size overflowing 64 bits',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'chunk size followed by a space',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'chunk data longer than its size',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nhello${i}\r\n0\r\n\r\n`,
  },
  {
    label: 'chunk data shorter than its size',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n${(i.length + 40).toString(16)}\r\nhello\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'chunk lines ending in a bare LF',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n${i}`,
  },
  {
    label: 'a smuggling trailer section',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: ${i.length}\r\n\r\n${i}`,
  },
  {
    label: 'HTTP/1.0 with Transfer-Encoding: chunked',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.0\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${i}`,
  },
  {
    label: 'Expect: 100-continue with the smuggled request as the body',
    bytes: (o, i, h) => withLength(`POST ${o} HTTP/1.1\r\nHost: ${h}\r\nExpect: 100-continue\r\n`, i),
  },
  {
    label: 'a GET whose Content-Length body is a request',
    bytes: (o, i, h) => withLength(`GET ${o} HTTP/1.1\r\nHost: ${h}\r\n`, i),
  },
  {
    label: 'an absolute-form target naming another host',
    bytes: (o, i, h) =>
      `POST http://evil.example${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0\r\n\r\n${i}`,
  },
  {
    label: 'two Host headers',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nHost: evil.example\r\nContent-Length: 0\r\n\r\n${i}`,
  },
  {
    label: 'an h2c upgrade request',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nContent-Length: 0\r\n\r\n${i}`,
  },
  {
    label: 'Connection naming Content-Length as hop-by-hop',
    bytes: (o, i, h) => withLength(`POST ${o} HTTP/1.1\r\nHost: ${h}\r\nConnection: Content-Length\r\n`, i),
  },
  {
    label: 'Connection naming Transfer-Encoding as hop-by-hop',
    bytes: (o, i, h) =>
      `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nConnection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(i)}0\r\n\r\n`,
  },
  {
    label: 'plain pipelining (the control: two requests the client meant to send)',
    bytes: (o, i, h) => `POST ${o} HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0\r\n\r\n${i}`,
  },
];

interface CaseResult {
  label: string;
  statuses: number[];
  /** Responses that came from authz (its helmet headers), not from the gateway itself. */
  fromUpstream: number;
  outerSeen: number;
  innerSeen: number;
}

/**
 * Request-smuggling framings sent byte for byte to the gateway (raw sockets, loopback only). Each must end in a
 * 400/413 with no request upstream received in full, or in well-framed forwarding: every request authz saw was one the
 * gateway answered separately, at most once, so authz never reads a request out of another one's body.
 */
describe('security: request smuggling framings at the gateway', () => {
  let stack: AttackStack;

  beforeAll(async () => {
    stack = await startAttackStack({ authz: { AUTHZ_RATE_LIMIT_MAX: '100000' } });
  }, 60_000);
  afterAll(() => stack?.stop());

  function send(bytes: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(stack.gatewayPort, '127.0.0.1');
      let data = '';
      let idle: NodeJS.Timeout;
      const done = () => {
        clearTimeout(idle);
        socket.destroy();
        resolve(data);
      };
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(done, IDLE_MS);
      };
      socket.setEncoding('latin1');
      socket.on('connect', () => {
        socket.write(Buffer.from(bytes, 'latin1'));
        arm();
      });
      socket.on('data', (chunkText: string) => {
        data += chunkText;
        arm();
      });
      socket.on('error', done);
      socket.on('close', done);
    });
  }

  async function run(framing: Framing, index: number): Promise<Omit<CaseResult, 'outerSeen' | 'innerSeen'>> {
    const host = `localhost:${stack.gatewayPort}`;
    const outer = `/token?smuggle=${index}-outer`;
    const inner = innerRequest(`/.well-known/oauth-authorization-server?smuggle=${index}-inner`, host);
    const raw = await send(framing.bytes(outer, inner, host));
    const responses = raw
      .split(/(?=HTTP\/1\.[01] \d{3} )/)
      .filter((part) => /^HTTP\/1\.[01] \d{3} /.test(part));
    const statuses = responses.map((part) => Number(part.slice(9, 12))).filter((status) => status !== 100);
    const fromUpstream = responses.filter((part) => /\r\ncontent-security-policy:/i.test(part)).length;
    return { label: framing.label, statuses, fromUpstream };
  }

  /**
   * The requests of case `index` that authz received in full, judged once every case is over. A chunked body is
   * streamed upstream as it arrives, so a framing error found mid-body cuts a request authz had begun to
   * receive: that one never completes, and authz answers nothing to it.
   */
  const seen = (index: number, part: 'outer' | 'inner') =>
    stack.received.filter((request) => request.url.includes(`smuggle=${index}-${part}`) && request.complete)
      .length;

  it(`holds against ${FRAMINGS.length} framings: 400/413, or each request forwarded exactly once`, async () => {
    expect(FRAMINGS.length).toBeGreaterThanOrEqual(30);
    const answered = await inBatches(FRAMINGS, 8, (framing) => run(framing, FRAMINGS.indexOf(framing)));
    // Anything authz would still read from a forwarded body would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const results: CaseResult[] = answered.map((result, index) => ({
      ...result,
      outerSeen: seen(index, 'outer'),
      innerSeen: seen(index, 'inner'),
    }));
    const broken = results.filter((result) => {
      const refused =
        [400, 413].includes(result.statuses[0]) && result.outerSeen === 0 && result.innerSeen === 0;
      const forwardedOnce =
        result.outerSeen <= 1 &&
        result.innerSeen <= 1 &&
        result.outerSeen + result.innerSeen === result.fromUpstream &&
        result.fromUpstream > 0;
      return !(refused || forwardedOnce);
    });
    expect(broken).toEqual([]);
    // The control really was forwarded twice, as two requests, and answered twice.
    const control = results.find((result) => result.label.startsWith('plain pipelining'))!;
    expect(control).toMatchObject({ outerSeen: 1, innerSeen: 1, fromUpstream: 2 });
    // None of it left the gateway unable to serve.
    expect((await fetch(`${stack.baseUrl()}/.well-known/oauth-authorization-server`)).status).toBe(200);
  }, 60_000);
});
