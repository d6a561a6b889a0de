import { parseTrustedProxies, trustedProxyCheck } from './trusted-proxies';

describe('parseTrustedProxies', () => {
  it("accepts Express's trust proxy forms: named ranges, addresses, CIDR and netmask ranges", () => {
    const value = ' loopback, linklocal,uniquelocal, 10.0.0.0/8, ::1, fd00::/8, 192.0.2.1/255.255.255.0 ';
    expect(parseTrustedProxies('X_PROXIES', value)).toEqual([
      'loopback',
      'linklocal',
      'uniquelocal',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      '192.0.2.1/255.255.255.0',
    ]);
    expect(parseTrustedProxies('X_PROXIES', '')).toEqual([]);
  });

  it.each(['false', 'proxy.local', '10.0.0.0/33', '::1/129', '300.1.1.1', '10.0.0.0/8/8'])(
    'names the variable and the bad entry %s',
    (entry) => {
      expect(() => parseTrustedProxies('X_PROXIES', `loopback, ${entry}`)).toThrow(
        `X_PROXIES: ${JSON.stringify(entry)} is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
      );
    },
  );
});

describe('trustedProxyCheck', () => {
  it('trusts exactly the listed peers, IPv4-mapped IPv6 included', () => {
    const trusts = trustedProxyCheck(['loopback', '10.0.0.0/8']);
    expect(trusts('127.0.0.1', 0)).toBe(true);
    expect(trusts('::1', 0)).toBe(true);
    expect(trusts('::ffff:10.1.2.3', 0)).toBe(true);
    expect(trusts('192.168.1.1', 0)).toBe(false);
    expect(trusts('not an address', 0)).toBe(false);
  });

  it('trusts nobody for an empty list', () => {
    expect(trustedProxyCheck([])('127.0.0.1', 0)).toBe(false);
  });
});
