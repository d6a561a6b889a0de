#!/usr/bin/env node
'use strict';
/**
 * The container image's HEALTHCHECK. One image runs all three apps (the command picks one: cluster-plan.js
 * appCommand), so the app is read from the command line of the process the container runs, and its port from the
 * variable that app itself reads. Exit 0 when that app's /healthz answers 200 within the timeout, 1 otherwise.
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** The variable each app reads for its port, and that variable's default (.env.example). */
const PORTS = { gateway: ['GATEWAY_PORT', 3002], authz: ['AUTHZ_PORT', 3003], mcp: ['MCP_PORT', 3004] };
const ENTRY = /(?:^|\/)dist\/apps\/(gateway|authz|mcp)\/src\/main\.js$/;
const TIMEOUT_MS = 3000;

/** The app started by a process visible in `procDir` (a container sees only its own processes). */
function runningApp(procDir = '/proc') {
  for (const pid of readdirSync(procDir)) {
    if (!/^\d+$/.test(pid)) continue;
    let argv;
    try {
      argv = readFileSync(join(procDir, pid, 'cmdline'), 'utf8').split('\0');
    } catch {
      continue; // the process ended while we looked
    }
    for (const arg of argv) {
      const match = ENTRY.exec(arg);
      if (match) return match[1];
    }
  }
  return undefined;
}

/** 0 when the running app's /healthz answers 200, 1 otherwise; the reason goes to stderr (docker inspect shows it). */
async function check(env = process.env, procDir = '/proc') {
  const app = runningApp(procDir);
  if (!app) {
    console.error('no dist/apps/<app>/src/main.js process found');
    return 1;
  }
  const [variable, fallback] = PORTS[app];
  // Every app binds all interfaces in a container, so loopback reaches it.
  const url = `http://127.0.0.1:${env[variable] || fallback}/healthz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (response.status === 200) return 0;
    console.error(`${app}: ${url} answered ${response.status}`);
  } catch (error) {
    console.error(`${app}: ${url}: ${error.cause?.code ?? error.message}`);
  }
  return 1;
}

if (require.main === module) {
  check().then((code) => process.exit(code));
}

module.exports = { check, runningApp };
