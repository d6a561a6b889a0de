/**
 * Two projects: fast unit specs beside the code, and e2e specs that start real servers. ES-module-only packages
 * (Nest 12, jose, the MCP SDK) load through Node 24's require(esm), which Jest uses under --experimental-vm-modules
 * (set by `npm test`); nothing in node_modules is transformed.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  // Most e2e time is waiting on sockets and child processes: one worker per core (Jest's default leaves one
  // core idle) halves the suite on a 2-core machine (~130 s instead of ~260 s).
  maxWorkers: '100%',
  // A global option: inside a project's config Jest ignores it and falls back to 5 s.
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts', '<rootDir>/tools/doctor/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
