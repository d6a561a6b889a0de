import { parseUrlList } from './url-list';

describe('parseUrlList', () => {
  it('reads one URL or several, comma separated, without trailing slashes', () => {
    expect(parseUrlList('AUTHZ_INTERNAL_URL', 'http://127.0.0.1:3003/')).toEqual(['http://127.0.0.1:3003']);
    expect(parseUrlList('AUTHZ_INTERNAL_URL', ' http://a:3003, https://b:3003/base ,')).toEqual([
      'http://a:3003',
      'https://b:3003/base',
    ]);
  });

  it('refuses an empty list or anything but http(s) URLs, naming the variable', () => {
    expect(() => parseUrlList('AUTHZ_INTERNAL_URL', ' , ')).toThrow(/AUTHZ_INTERNAL_URL: at least one URL/);
    expect(() => parseUrlList('AUTHZ_INTERNAL_URL', 'http://a:1,authz:3003')).toThrow(
      /AUTHZ_INTERNAL_URL: "authz:3003" is not an http or https URL/,
    );
    expect(() => parseUrlList('AUTHZ_INTERNAL_URL', 'ftp://a')).toThrow(/not an http or https URL/);
  });
});
