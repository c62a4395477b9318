const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// tsc (not esbuild/swc) so Nest's decorator metadata is emitted; see docs/adr/0002-bundler.md.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/bitro-api'), clean: true },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      // Required by the bundle but invisible to Nx's import analysis: the generated Prisma clients
      // (git-ignored) load @prisma/client's runtime, and tsc's importHelpers emit tslib imports.
      runtimeDependencies: ['@prisma/client', 'tslib'],
      sourceMap: true,
    }),
  ],
};
