const { nodeAppConfig } = require('../../webpack.shared.cjs');

module.exports = nodeAppConfig(__dirname, { runtimeDependencies: ['tslib'] });
