/**
 * Two projects: fast unit specs beside the code, and e2e specs that start real servers.
 *
 * Nest 12 and jose ship ESM only. Node 20 can require() them, but Jest has its own module loader that cannot,
 * so Jest runs in its ESM mode (`--experimental-vm-modules`, set by the npm test scripts) and ts-jest emits ES
 * modules. Type checking is `npm run typecheck`; ts-jest only transpiles.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: __dirname,
  testEnvironment: 'node',
  testTimeout: 30000,
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        diagnostics: false,
        tsconfig: { ...compilerOptions, module: 'ES2022', moduleResolution: 'bundler', paths: undefined },
      },
    ],
  },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
