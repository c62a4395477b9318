const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join, relative } = require('node:path');

/**
 * The webpack configuration of every Node process we ship (apps and runnable tools): one bundle,
 * `dist/<project root>/main.js`, npm dependencies left external with a generated package.json.
 * tsc (not esbuild/swc) so Nest's decorator metadata is emitted; see docs/adr/0002-bundler.md.
 */
function nodeAppConfig(projectDir, { runtimeDependencies = [] } = {}) {
  return {
    output: { path: join(__dirname, 'dist', relative(__dirname, projectDir)), clean: true },
    // `import text from './file.md?raw'` bundles the file's text (as Vite does in the tests).
    module: { rules: [{ resourceQuery: /raw/, type: 'asset/source' }] },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        runtimeDependencies,
        // Stack traces name the TypeScript file and line. Line-level mappings without the sources: Node builds one array
        // per mapping once a stack is formatted, 6.9 MB for column-level ones in the gateway, 1.5 MB so (ADR 41).
        sourceMap: 'nosources-cheap-module-source-map',
      }),
    ],
  };
}

module.exports = { nodeAppConfig };
