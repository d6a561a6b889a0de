import { parsePasswordHash } from '../config/users.config';
import type { AuthzConfig } from '../config/authz.config';
import { LocalUsersService, hashPassword } from './local-users.service';

describe('LocalUsersService', () => {
  const serviceFor = (users: Record<string, string>) =>
    new LocalUsersService({
      users: new Map(Object.entries(users).map(([name, hash]) => [name, parsePasswordHash(hash)])),
      autoLogin: false,
    } as AuthzConfig);

  it('accepts the right password only, and never an unknown user', async () => {
    const service = serviceFor({ alice: await hashPassword('correct horse battery') });
    await expect(service.verify('alice', 'correct horse battery')).resolves.toBe(true);
    await expect(service.verify('alice', 'correct horse batterY')).resolves.toBe(false);
    await expect(service.verify('mallory', 'correct horse battery')).resolves.toBe(false);
  });

  it('checks unknown users against a decoy of the same scrypt cost, so timing reveals no user names', () => {
    const cheap = 'scrypt:1024:8:1:' + Buffer.alloc(16, 1).toString('base64url') + ':';
    const service = serviceFor({ bob: cheap + Buffer.alloc(48, 2).toString('base64url') });
    const decoy = (service as unknown as { decoy: { N: number; r: number; p: number; hash: Buffer } }).decoy;
    expect({ N: decoy.N, r: decoy.r, p: decoy.p, length: decoy.hash.length }).toEqual({
      N: 1024,
      r: 8,
      p: 1,
      length: 48,
    });
  });
});
