#!/usr/bin/env node
'use strict';
/**
 * `npm start` runs this first: it builds (`nest build`, all three apps in one compile) only when a source or build
 * setting is newer than the last successful build, so a second start costs no compile. `--force` always builds.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const SETTINGS = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];
const SOURCE_DIRS = ['apps', 'libs'];

/** Newest modification time under `dir`, skipping what the build does not read (tests, the sample workspace). */
function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test' || entry.name === 'workspace') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  const settings = SETTINGS.map((file) => join(ROOT, file)).filter(existsSync);
  const newest = Math.max(
    ...settings.map((file) => statSync(file).mtimeMs),
    ...SOURCE_DIRS.map((dir) => newestIn(join(ROOT, dir))),
  );
  return newest > built;
}

if (process.argv.includes('--force') || isStale()) {
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [nest, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
} else {
  console.log('Build is current (dist/); `npm run build` rebuilds.');
}
