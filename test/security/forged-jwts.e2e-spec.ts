import {
  constants,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, type JWTPayload } from 'jose';
import { parseBearerChallenge } from '../support/mcp-http';
import { inBatches, postMcp, startAttackStack, type AttackStack } from './support/attack-stack';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** header.payload signed with HMAC-SHA2 by hand: the key-confusion attack needs a "secret" jose would refuse. */
function hmacJwt(header: object, payload: object, secret: Buffer | string, bits = 256): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(`sha${bits}`, secret).update(input).digest('base64url')}`;
}

const flipBit = (text: string, at: number) => {
  const chars = [...text];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  chars[at] = alphabet[(alphabet.indexOf(chars[at]) ^ 1) % 64];
  return chars.join('');
};

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * Forged, tampered and misdirected access tokens presented at /mcp through the gateway: every one is a 401
 * `invalid_token` (RFC 6750 §3.1) whose description never echoes the token, and no attacker URL named in a
 * header is ever fetched (RFC 8725 §3.10).
 */
describe('security: forged JWT access tokens', () => {
  let stack: AttackStack;
  let attackerJwks: Server;
  let attackerFetches = 0;
  let attackerUrl = '';
  let good: string;
  let header: { kid: string; alg: string; typ: string };
  let claims: JWTPayload & Record<string, unknown>;
  let realKey: KeyObject;
  let publicPem: string;
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    stack = await startAttackStack();
    good = await stack.mint('alice');
    header = decodeProtectedHeader(good) as typeof header;
    claims = decodeJwt(good) as typeof claims;
    realKey = stack.signingKey().privateKey;
    publicPem = createPublicKey(realKey).export({ type: 'spki', format: 'pem' }).toString();
    const attackerJwk = {
      ...(await exportJWK(attacker.publicKey)),
      kid: header.kid,
      alg: 'RS256',
      use: 'sig',
    };
    attackerJwks = createServer((_req, res) => {
      attackerFetches++;
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [attackerJwk] }));
    });
    await new Promise<void>((resolve) => attackerJwks.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attackerJwks.address() as AddressInfo).port}/jwks.json`;
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => attackerJwks?.close(resolve));
    await stack?.stop();
  });

  /**
   * Signed by hand (RS256, or PS256 when the header says so) with authz's own key unless another is given: only
   * the claims or the header are wrong. By hand, since a JOSE library refuses to produce some of these.
   */
  const signed = async (
    payload: Record<string, unknown>,
    protectedHeader: Record<string, unknown> = header,
    key: KeyObject = realKey,
  ) => {
    const input = `${b64(protectedHeader)}.${b64(payload)}`;
    const pss =
      protectedHeader.alg === 'PS256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
    return `${input}.${sign('sha256', Buffer.from(input), { key, ...pss }).toString('base64url')}`;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const without = (name: string) => {
    const copy: Record<string, unknown> = { ...claims };
    delete copy[name];
    return copy;
  };

  async function forgeries(): Promise<[string, string][]> {
    const [h, p, s] = good.split('.');
    const jwk = (await exportJWK(createPublicKey(realKey))) as { n: string };
    const attackerKey = attacker.privateKey;
    return [
      ['alg none, no signature', `${b64({ ...header, alg: 'none' })}.${p}.`],
      ['alg none, real signature kept', `${b64({ ...header, alg: 'none' })}.${p}.${s}`],
      ['alg None', `${b64({ ...header, alg: 'None' })}.${p}.`],
      ['alg NONE', `${b64({ ...header, alg: 'NONE' })}.${p}.`],
      ['HS256 keyed with the public key PEM', hmacJwt({ ...header, alg: 'HS256' }, claims, publicPem)],
      ['HS256 keyed with the JWK modulus', hmacJwt({ ...header, alg: 'HS256' }, claims, jwk.n)],
      ['HS512 keyed with the public key PEM', hmacJwt({ ...header, alg: 'HS512' }, claims, publicPem, 512)],
      ['HS256 keyed with an empty secret', hmacJwt({ ...header, alg: 'HS256' }, claims, '')],
      ['PS256 with the real key (algorithm not allowed)', await signed(claims, { ...header, alg: 'PS256' })],
      ["attacker's key, the real kid", await signed(claims, header, attackerKey)],
      [
        "attacker's key, an unknown kid",
        await signed(claims, { ...header, kid: 'attacker-key' }, attackerKey),
      ],
      [
        "attacker's key, kid path traversal",
        await signed(claims, { ...header, kid: '../../../../../dev/null' }, attackerKey),
      ],
      [
        "attacker's key, kid SQL injection",
        await signed(claims, { ...header, kid: "x' OR '1'='1" }, attackerKey),
      ],
      ["attacker's key, no kid", await signed(claims, { alg: 'RS256', typ: 'at+jwt' }, attackerKey)],
      ["attacker's key behind jku", await signed(claims, { ...header, jku: attackerUrl }, attackerKey)],
      ["attacker's key behind x5u", await signed(claims, { ...header, x5u: attackerUrl }, attackerKey)],
      [
        "attacker's key embedded as jwk",
        await signed(claims, { ...header, jwk: await exportJWK(attacker.publicKey) }, attackerKey),
      ],
      ['typ JWT', await signed(claims, { ...header, typ: 'JWT' })],
      ['typ missing', await signed(claims, { alg: header.alg, kid: header.kid })],
      ['typ id_token', await signed(claims, { ...header, typ: 'id_token+jwt' })],
      ['unknown critical header', await signed(claims, { ...header, crit: ['x-attack'], 'x-attack': true })],
      ['iss of another server', await signed({ ...claims, iss: 'https://evil.example' })],
      ['iss of the internal authz URL', await signed({ ...claims, iss: stack.authzUrl })],
      ['iss of another alias of this server', await signed({ ...claims, iss: stack.baseUrl('127.0.0.1') })],
      ['aud of another resource', await signed({ ...claims, aud: 'https://evil.example/mcp' })],
      ['aud of another path here', await signed({ ...claims, aud: `${stack.baseUrl()}/other` })],
      [
        'aud list without this resource',
        await signed({ ...claims, aud: ['https://a.example', 'https://b.example'] }),
      ],
      ['expired an hour ago', await signed({ ...claims, iat: now() - 7200, exp: now() - 3600 })],
      ['not valid before tomorrow', await signed({ ...claims, nbf: now() + 86_400 })],
      ['issued in the future', await signed({ ...claims, iat: now() + 3600, exp: now() + 7200 })],
      [
        'issued two days ago, still unexpired',
        await signed({ ...claims, iat: now() - 172_800, exp: now() + 3600 }),
      ],
      ['exp as a string', await signed({ ...claims, exp: String(now() + 3600) })],
      ['grant_id unknown to authz', await signed({ ...claims, grant_id: 'A'.repeat(22) })],
      ['grant_id malformed', await signed({ ...claims, grant_id: '../internal/grants' })],
      ['grant_id missing', await signed(without('grant_id'))],
      ['sub missing', await signed(without('sub'))],
      ['client_id missing', await signed(without('client_id'))],
      ['jti missing', await signed(without('jti'))],
      ['signature: last character flipped', `${h}.${p}.${flipBit(s, s.length - 2)}`],
      ['signature: middle character flipped', `${h}.${p}.${flipBit(s, Math.floor(s.length / 2))}`],
      ['signature: empty', `${h}.${p}.`],
      [
        'payload widened, signature kept',
        `${h}.${b64({ ...claims, scope: `${String(claims.scope)} admin` })}.${s}`,
      ],
      ['payload of another subject, signature kept', `${h}.${b64({ ...claims, sub: 'root' })}.${s}`],
      ['header kid changed, signature kept', `${b64({ ...header, kid: 'other' })}.${p}.${s}`],
      ['two segments only', `${h}.${p}`],
      ['five segments (a JWE shape)', `${h}.${p}.${s}.${s}.${s}`],
      ['not base64url', `${h}.${p}.***`],
      ['10 KB of garbage', 'x'.repeat(10_000)],
    ];
  }

  it('accepts the genuine token, and the same claims signed by hand (the controls)', async () => {
    const tools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
    for (const token of [good, await signed(claims)]) {
      const answer = await postMcp(stack.baseUrl(), token, tools);
      expect(answer.status).toBe(400); // authenticated: only the missing 2025 session is refused
      expect(answer.message?.error?.message).toMatch(/Mcp-Session-Id/);
    }
  });

  it('refuses at least 30 forgeries with 401 invalid_token, never echoing them and never fetching their keys', async () => {
    const cases = await forgeries();
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const outcomes = await inBatches(cases, 8, async ([label, token]) => {
      const answer = await postMcp(stack.baseUrl(), token, {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: {},
      });
      const challenge = answer.headers.get('www-authenticate') ?? '';
      const error = /^Bearer\b/.test(challenge) ? parseBearerChallenge(challenge).error : undefined;
      const echoed = answer.text.includes(token.slice(-20)) || challenge.includes(token.slice(-20));
      return { label, status: answer.status, error, echoed };
    });
    const accepted = outcomes.filter(
      (outcome) => outcome.status !== 401 || outcome.error !== 'invalid_token' || outcome.echoed,
    );
    expect(accepted).toEqual([]);
    expect(attackerFetches).toBe(0);
  });
});
