// The plugin's entry for Nx, which loads generators with require(). Node 20 cannot run TypeScript, and the
// workspace has no swc-node or ts-node for Nx to register, so the plugin's own .ts files are compiled here on
// require, with the workspace's TypeScript (transpile only: the `typecheck` target checks their types).
const { readFileSync } = require('node:fs');
const { sep } = require('node:path');
const ts = require('typescript');

const pluginDir = __dirname + sep;
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
const fallback = require.extensions['.ts'];

require.extensions['.ts'] = (module, filename) => {
  if (!filename.startsWith(pluginDir)) {
    if (fallback) return fallback(module, filename);
    throw new Error(`${filename}: no TypeScript loader for files outside ${pluginDir}`);
  }
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions });
  module._compile(outputText, filename);
};

module.exports = require('./src/index.ts');
