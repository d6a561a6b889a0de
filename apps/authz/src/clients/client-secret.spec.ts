import { clientSecretMatches, hashClientSecret } from './client-secret';

describe('client secrets', () => {
  it('stores a hex SHA-256, never the secret', () => {
    expect(hashClientSecret('s3cret')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashClientSecret('s3cret')).not.toContain('s3cret');
  });

  it('matches only the secret that was hashed, and nothing when no hash is stored', () => {
    const stored = hashClientSecret('s3cret');
    expect(clientSecretMatches('s3cret', stored)).toBe(true);
    expect(clientSecretMatches('s3creT', stored)).toBe(false);
    expect(clientSecretMatches('', stored)).toBe(false);
    expect(clientSecretMatches('s3cret', undefined)).toBe(false);
  });
});
