import { resolve } from 'node:path';

/**
 * The repository root. Under CommonJS this file's own folder anchors it; should the tests run as native
 * ES modules (no `__dirname`), npm scripts and Jest run from the root anyway.
 */
export const REPO_ROOT = typeof __dirname === 'string' ? resolve(__dirname, '../..') : process.cwd();

export const fromRoot = (...segments: string[]): string => resolve(REPO_ROOT, ...segments);
