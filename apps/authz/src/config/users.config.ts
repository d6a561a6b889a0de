/** A scrypt password hash as stored in AUTHZ_USERS: `scrypt:N:r:p:salt:hash` (salt and hash base64url). */
export interface PasswordHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export function parsePasswordHash(encoded: string): PasswordHash {
  const parts = encoded.split(':');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error('expected scrypt:N:r:p:salt:hash');
  const [N, r, p] = parts.slice(1, 4).map((part) => Number.parseInt(part, 10));
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || (N & (N - 1)) !== 0) {
    throw new Error('N, r and p must be positive integers, N a power of two');
  }
  if (salt.length < 16 || hash.length < 32) throw new Error('salt must be >= 16 bytes and hash >= 32 bytes');
  return { N, r, p, salt, hash };
}

/** `alice:scrypt:...,bob:scrypt:...` -> Map of user name to hash; throws naming the broken entry. */
export function parseUsers(value: string): Map<string, PasswordHash> {
  const users = new Map<string, PasswordHash>();
  for (const entry of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const name = at > 0 ? entry.slice(0, at) : '';
    if (!/^[A-Za-z0-9._@-]{1,128}$/.test(name)) throw new Error(`AUTHZ_USERS: bad user name in "${name}"`);
    try {
      users.set(name, parsePasswordHash(entry.slice(at + 1)));
    } catch (error) {
      throw new Error(`AUTHZ_USERS: user "${name}": ${(error as Error).message}`, { cause: error });
    }
  }
  return users;
}
