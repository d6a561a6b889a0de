#!/usr/bin/env node
'use strict';
/**
 * `npm run start:cluster`: a local cluster on one machine, the processes of scripts/cluster-plan.js (two authz and
 * two mcp instances, the gateway on 3002) around one Redis: a redis-server started here (appendonly yes, in
 * data/cluster/redis) unless STORE_URL names one. Logs are prefixed by process; Ctrl-C or SIGTERM stops the apps
 * (they drain), then the redis-server this script started (it flushes its AOF).
 */
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { createInterface } = require('node:readline');
const { clusterPlan } = require('./cluster-plan');

const ROOT = join(__dirname, '..');
const DATA_DIR = join(ROOT, 'data', 'cluster');
const PORTS = { gateway: 3002, gatewayAdmin: 3005, authz: [3003, 3013], mcp: [3004, 3014] };
const COLORS = [36, 35, 33, 32, 34, 31];

const children = [];
let stopping = false;

/** Every line of a child, prefixed with its name (colored on a terminal). */
function prefixLines(name, child, color) {
  const label = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(8)}|\x1b[0m` : `${name.padEnd(8)}|`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`${label} ${line}`));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A local redis-server on a free loopback port; resolves with its URL once it accepts connections. */
async function startRedis() {
  const binary = process.env.REDIS_SERVER_BIN || 'redis-server';
  if (spawnSync(binary, ['--version']).error) {
    console.error(
      `start:cluster: ${binary} not found; install it (sudo apt install redis-server) or set STORE_URL to an existing Redis`,
    );
    process.exit(1);
  }
  const port = await freePort();
  const dir = join(DATA_DIR, 'redis');
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
  ];
  // Its own process group: Ctrl-C reaches the apps, and Redis stays up while they drain.
  const child = spawn(binary, [...args, '--maxmemory-policy', 'noeviction'], { detached: true });
  children.push({ name: 'redis', child, redis: true });
  prefixLines('redis', child, 90);
  let ready = false;
  child.once('exit', (code) => {
    console.log(`redis   | exited with code ${code}`);
    if (ready && !stopping) stopAll(1); // nobody would start it again
  });
  await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (/Ready to accept connections/.test(line)) resolve((ready = true));
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready`)));
  });
  return `redis://127.0.0.1:${port}`;
}

/** AUTHZ_KEYS_ENCRYPTION_KEY from the environment, else one generated once and kept in the data dir (0600). */
function keysEncryptionKey() {
  if (process.env.AUTHZ_KEYS_ENCRYPTION_KEY) return process.env.AUTHZ_KEYS_ENCRYPTION_KEY;
  const file = join(DATA_DIR, 'keys-encryption.key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}

/** The apps first (each drains on SIGTERM), then Redis; a second Ctrl-C kills whatever is left. */
async function stopAll(code) {
  if (stopping) {
    for (const { child } of children) child.kill('SIGKILL');
    process.exit(code);
  }
  stopping = true;
  const apps = children.filter((entry) => !entry.redis);
  for (const { child } of apps) child.kill('SIGTERM');
  await Promise.all(apps.map(({ child }) => exited(child)));
  for (const { child } of children.filter((entry) => entry.redis)) {
    child.kill('SIGTERM');
    await exited(child);
  }
  process.exit(code);
}

async function main() {
  const build = spawnSync(process.execPath, [join(__dirname, 'build-if-stale.js')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(DATA_DIR, { recursive: true });
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  const storeUrl = process.env.STORE_URL || (await startRedis());
  const plan = clusterPlan({
    storeUrl,
    keysEncryptionKey: keysEncryptionKey(),
    ports: PORTS,
    publicUrl: process.env.PUBLIC_URL,
    env: { AUTHZ_DATA_DIR: process.env.AUTHZ_DATA_DIR || join(DATA_DIR, 'authz') },
  });
  plan.forEach((entry, index) => {
    const [, ...args] = entry.command; // `node`: the Node that runs this script
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...entry.env } });
    children.push({ name: entry.name, child });
    prefixLines(entry.name, child, COLORS[index % COLORS.length]);
    child.once('exit', (code, signal) => {
      console.log(`${entry.name.padEnd(8)}| exited with ${signal ?? `code ${code}`}`);
      if (!stopping) stopAll(1); // one process down: the cluster is not what was asked for
    });
  });
}

main().catch((error) => {
  console.error(`start:cluster: ${error.message}`);
  stopAll(1);
});
