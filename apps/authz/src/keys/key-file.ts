import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCb } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK } from 'jose';

const generateKeyPair = promisify(generateKeyPairCb);

export const SIGNING_ALG = 'RS256';
const KEY_FILE_NAME = 'signing-keys.json';
/** Clock skew allowance added to the access-token lifetime before a retired key leaves the JWKS. */
const PUBLISH_MARGIN_SECONDS = 300;

/**
 * The key set, wherever it is kept: the key file of a single machine (below), or Redis, sealed, in cluster mode
 * (redis-signing-key.store.ts). The rules on it (which key signs, how long a retired one stays published, what a
 * rotation does) are these, for both.
 */

/** One RSA key as persisted. `retiredAt` set = no longer signs, still published until its tokens expire. */
export interface StoredSigningKey {
  kid: string;
  alg: typeof SIGNING_ALG;
  createdAt: number;
  retiredAt?: number;
  privateKeyPem: string;
}

export interface KeyFile {
  keys: StoredSigningKey[];
}

export const keyFilePath = (dataDir: string) => join(dataDir, KEY_FILE_NAME);

/** kid = RFC 7638 thumbprint of the public key: stable across restarts and identical for the same PEM. */
export async function kidForPem(privateKeyPem: string): Promise<string> {
  const publicJwk = await exportJWK(createPublicKey(createPrivateKey(privateKeyPem)));
  return calculateJwkThumbprint(publicJwk, 'sha256');
}

/** How long a retired key stays published: every token it signed may still be presented until then. */
export const publishedForMs = (accessTokenTtlSeconds: number) =>
  (accessTokenTtlSeconds + PUBLISH_MARGIN_SECONDS) * 1000;

async function generateSigningKey(now = Date.now()): Promise<StoredSigningKey> {
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { kid: await kidForPem(privateKeyPem), alg: SIGNING_ALG, createdAt: now, privateKeyPem };
}

/** A first key set: one active key. */
export async function newKeySet(now = Date.now()): Promise<KeyFile> {
  return { keys: [await generateSigningKey(now)] };
}

export async function readKeyFile(dataDir: string): Promise<KeyFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')) as KeyFile;
    if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error('no keys');
    return parsed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${keyFilePath(dataDir)} is unreadable or malformed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Atomic replace (write a 0600 temp file, rename) so a reader never sees half a key file. */
export async function writeKeyFile(dataDir: string, file: KeyFile): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${keyFilePath(dataDir)}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temp, keyFilePath(dataDir));
}

/**
 * First start: create the key file exclusively (`wx`), so two processes starting together cannot overwrite each
 * other's key; the loser reads the winner's file.
 */
export async function loadOrCreateKeyFile(dataDir: string): Promise<KeyFile> {
  const existing = await readKeyFile(dataDir);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = await newKeySet();
  try {
    const handle = await open(keyFilePath(dataDir), 'wx', 0o600);
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    await handle.close();
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readKeyFile(dataDir)) ?? file;
  }
}

/** The key that signs: the newest one not retired. */
export function activeKey(file: KeyFile): StoredSigningKey {
  const active = file.keys
    .filter((key) => key.retiredAt === undefined)
    .sort((a, b) => b.createdAt - a.createdAt);
  if (!active[0]) throw new Error('the key file has no active signing key');
  return active[0];
}

/** A retired key stays published while tokens it signed may still be valid. */
export const isPublished = (key: StoredSigningKey, now: number, maxTokenLifetimeMs: number) =>
  key.retiredAt === undefined || key.retiredAt + maxTokenLifetimeMs > now;

/**
 * Rotation: a new active key; the previous active keys retire now; keys retired so long ago that no token they
 * signed can still be valid are dropped.
 */
export async function rotateKeyFile(
  file: KeyFile,
  now: number,
  maxTokenLifetimeMs: number,
): Promise<KeyFile> {
  const fresh = await generateSigningKey(now);
  const kept = file.keys
    .map((key) => (key.retiredAt === undefined ? { ...key, retiredAt: now } : key))
    .filter((key) => isPublished(key, now, maxTokenLifetimeMs));
  return { keys: [fresh, ...kept] };
}
