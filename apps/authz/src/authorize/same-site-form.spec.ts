import type { Request } from 'express';
import { AuthorizationPageError } from './authorization-request';
import { assertSameSiteForm } from './same-site-form';

const post = (headers: Record<string, string>, host = 'localhost:3002', protocol = 'http') =>
  ({ headers, host, protocol }) as unknown as Request;

describe('assertSameSiteForm', () => {
  it.each([
    ['no Origin at all (privacy settings, old clients)', {}],
    ['Origin: null (what browsers post from a no-referrer page)', { origin: 'null' }],
    ['the origin that served the form', { origin: 'http://localhost:3002' }],
    ['the same origin in other letter case', { origin: 'HTTP://LOCALHOST:3002' }],
    [
      'a same-origin post marked by Fetch Metadata',
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3002' },
    ],
  ])('lets through %s', (_label, headers) => {
    expect(() => assertSameSiteForm(post(headers))).not.toThrow();
  });

  it.each([
    ['a post Fetch Metadata marks cross-site', { 'sec-fetch-site': 'cross-site' }],
    [
      'cross-site even with a same-looking Origin',
      { 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3002' },
    ],
    ['another site', { origin: 'https://evil.example' }],
    ['another port of this host', { origin: 'http://localhost:4000' }],
    ['another scheme of this host', { origin: 'https://localhost:3002' }],
    ['a look-alike host', { origin: 'http://localhost:3002.evil.example' }],
  ])('refuses %s', (_label, headers) => {
    expect(() => assertSameSiteForm(post(headers))).toThrow(AuthorizationPageError);
  });
});
