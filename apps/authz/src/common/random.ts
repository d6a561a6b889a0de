import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: authorization codes, refresh tokens, interaction ids, client secrets. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Store lookups use a hash so a leaked store does not leak usable codes or tokens. */
export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');
