import { checkStoreUrl } from './store-url';

describe('checkStoreUrl', () => {
  it('accepts redis:// and rediss:// URLs, with or without credentials', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'rediss://:secret@redis.example:6380/0',
      'redis://localhost',
    ]) {
      expect(() => checkStoreUrl(url)).not.toThrow();
    }
  });

  it('refuses anything else without echoing the value, which may hold a password', () => {
    for (const url of ['http://user:hunter2@x', 'hunter2', 'redis//:hunter2@x']) {
      expect(() => checkStoreUrl(url)).toThrow('STORE_URL: must be a redis:// or rediss:// URL');
      try {
        checkStoreUrl(url);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });
});
