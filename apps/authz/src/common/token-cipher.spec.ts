import { randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const cipher = new TokenCipher(randomBytes(32));

  it('round-trips, never storing the plaintext, with a fresh IV each time', () => {
    const sealed = cipher.encrypt('upstream-refresh-token', 'grant-1');
    expect(sealed).not.toContain('upstream-refresh-token');
    expect(cipher.encrypt('upstream-refresh-token', 'grant-1')).not.toBe(sealed);
    expect(cipher.decrypt(sealed, 'grant-1')).toBe('upstream-refresh-token');
  });

  it('refuses a tampered value, another grant and another key', () => {
    const sealed = cipher.encrypt('token', 'grant-1');
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    expect(cipher.decrypt(flipped, 'grant-1')).toBeUndefined();
    expect(cipher.decrypt(sealed, 'grant-2')).toBeUndefined();
    expect(new TokenCipher(randomBytes(32)).decrypt(sealed, 'grant-1')).toBeUndefined();
    expect(cipher.decrypt('garbage', 'grant-1')).toBeUndefined();
  });
});
