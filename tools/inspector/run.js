#!/usr/bin/env node
'use strict';
/**
 * Runs the pinned MCP Inspector (`npm run inspector -- <inspector arguments>`), installing it into this folder on
 * first use. It is kept out of the root package so that a plain `npm ci` stays lean (~300 MB less). The Inspector
 * runs on the Node that runs this script: the project's own Node 24 under `npm run`. With `--install-only` it
 * installs and exits (the end-to-end tests call it that way). Concurrent first uses wait for one install.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, rmSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');

const HERE = __dirname;
const LAUNCHER = join(HERE, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const LOCK = join(HERE, '.install.lock');
const STALE_LOCK_MS = 10 * 60_000;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function takeLock() {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A crashed install leaves its lock behind; an install never takes this long.
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(500);
    }
  }
}

function ensureInstalled() {
  if (existsSync(LAUNCHER)) return;
  takeLock();
  try {
    if (existsSync(LAUNCHER)) return;
    process.stderr.write('Installing the MCP Inspector into tools/inspector (first use only)...\n');
    // npm itself must run on this Node, or it measures engines against an older system Node.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: HERE,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0 || !existsSync(LAUNCHER)) {
      throw new Error(`npm ci in ${HERE} failed (exit ${result.status ?? result.signal})`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function main(args) {
  ensureInstalled();
  if (args[0] === '--install-only') return;
  const child = spawn(process.execPath, [LAUNCHER, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

module.exports = { LAUNCHER, ensureInstalled };
if (require.main === module) main(process.argv.slice(2));
