/*
 * `npm run users:hash-password -- <name>`: reads a password from stdin and prints the AUTHZ_USERS entry
 * `<name>:scrypt:N:r:p:salt:hash`. Nothing is written anywhere.
 */
import { hashPassword } from './local-users.service';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Za-z0-9._@-]{1,128}$/.test(name)) {
    throw new Error('usage: echo "<password>" | npm run users:hash-password -- <user-name>');
  }
  const password = await readStdin();
  if (password.length < 8) throw new Error('the password must have at least 8 characters');
  console.log(`${name}:${await hashPassword(password)}`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
