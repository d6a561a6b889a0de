/**
 * Nest 12, @nestjs/swagger and jose ship ES modules only. Node 20 can require() them, but Jest's own module loader
 * cannot (it needs Node 24.9+), and CommonJS packages such as @nestjs/throttler require them, so Jest's ESM mode is
 * no way out either. This transformer compiles those packages to CommonJS with ts-jest; the two `import.meta.url`
 * idioms they use are rewritten to their CommonJS equivalents first.
 */
const { TsJestTransformer } = require('ts-jest');

const compiler = new TsJestTransformer({
  tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true, isolatedModules: true },
});

const toCommonJs = (source) =>
  source
    .replace(/^\s*const require = createRequire\(import\.meta\.url\);\s*$/m, '')
    .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");

module.exports = {
  process(source, filename, options) {
    return compiler.process(toCommonJs(source), filename, options);
  },
  getCacheKey(source, filename, options) {
    return `${compiler.getCacheKey(toCommonJs(source), filename, options)}:esm-to-cjs-1`;
  },
};
