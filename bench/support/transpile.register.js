'use strict';
/**
 * Runs the apps' TypeScript in the benchmark's server processes, like `ts-node --transpile-only` but without
 * ts-node itself: ts-node loads `node:repl`, which loads `node:domain`, which wraps every EventEmitter emit in
 * the process (each socket read, request and response). Production runs compiled JavaScript without that
 * wrapper, so a benchmark under ts-node measured a slower server than anyone deploys.
 * Plain JavaScript (this file) because it must load before anything can compile TypeScript.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const root = join(__dirname, '..', '..');
const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
const compilerOptions = {
  ...config.options,
  // The apps are CommonJS at run time (no "type": "module"); the paths are resolved by tsconfig-paths.
  module: ts.ModuleKind.CommonJS,
  moduleResolution: undefined,
  sourceMap: false,
  declaration: false,
};

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
