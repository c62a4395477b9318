const { nodeAppConfig } = require('../../webpack.shared.cjs');

// Required by the bundle but invisible to Nx's import analysis: the generated Prisma client
// (git-ignored) loads @prisma/client's runtime, and tsc's importHelpers emit tslib imports.
module.exports = nodeAppConfig(__dirname, { runtimeDependencies: ['@prisma/client', 'tslib'] });
