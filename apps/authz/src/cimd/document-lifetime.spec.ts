import { documentLifetimeSeconds } from './document-lifetime';

describe('metadata document cache lifetime (CIMD §5.2, RFC 9111)', () => {
  const bounds = { min: 30, max: 86_400 };

  it('follows max-age, less the Age already spent', () => {
    expect(documentLifetimeSeconds({ 'cache-control': 'public, max-age=600' }, bounds)).toBe(600);
    expect(documentLifetimeSeconds({ 'cache-control': 'max-age=600', age: '100' }, bounds)).toBe(500);
  });

  it('falls back to Expires minus Date', () => {
    const headers = { date: 'Tue, 01 Jul 2025 10:00:00 GMT', expires: 'Tue, 01 Jul 2025 11:00:00 GMT' };
    expect(documentLifetimeSeconds(headers, bounds)).toBe(3600);
    expect(documentLifetimeSeconds({ expires: 'garbage' }, bounds)).toBe(30);
  });

  it('clamps to the bounds, and treats no-store and no-cache as the lower bound', () => {
    expect(documentLifetimeSeconds({ 'cache-control': 'max-age=5' }, bounds)).toBe(30);
    expect(documentLifetimeSeconds({ 'cache-control': 'max-age=99999999' }, bounds)).toBe(86_400);
    expect(documentLifetimeSeconds({ 'cache-control': 'no-store' }, bounds)).toBe(30);
    expect(documentLifetimeSeconds({ 'cache-control': 'no-cache, max-age=600' }, bounds)).toBe(30);
  });

  it('uses five minutes when the document says nothing', () => {
    expect(documentLifetimeSeconds({}, bounds)).toBe(300);
    expect(documentLifetimeSeconds({}, { min: 1, max: 60 })).toBe(60);
  });
});
