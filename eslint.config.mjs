import nx from '@nx/eslint-plugin';

/**
 * Module boundaries of Bitro (see docs/adr and the architecture notes in README):
 * tags `type:*` say what a project is, `scope:*` which deployable side it belongs to.
 */
export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:service-api', 'type:contract', 'type:shared', 'type:testing'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:service-api', 'type:contract', 'type:shared', 'type:testing'] },
  { sourceTag: 'type:service-api', onlyDependOnLibsWithTags: ['type:service-api'] },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract', 'type:service-api'] },
  // The shared end-to-end support (system-testing) drives the product through the typed REST client.
  { sourceTag: 'type:shared', onlyDependOnLibsWithTags: ['type:shared', 'type:testing', 'type:client'] },
  // Test support (@bitro/testing): its module test harness boots a domain module with stubs for the service-api
  // tokens it injects, so it knows service-api and the shared building blocks; no domain.
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:shared', 'type:service-api'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:shared', 'type:service-api', 'type:contract', 'type:testing', 'type:client'] },
  // The typed REST client (@bitro/client) is generated from the OpenAPI document: a leaf that knows no other project.
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:client'] },
  // End-to-end tests run the apps' builds as processes (implicit dependencies), and use shared test helpers.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:shared', 'type:contract', 'type:service-api', 'type:testing', 'type:client'] },
  { sourceTag: 'scope:bitro', onlyDependOnLibsWithTags: ['scope:bitro', 'scope:shared'] },
  { sourceTag: 'scope:bitcoin', onlyDependOnLibsWithTags: ['scope:bitcoin', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

/**
 * The tests of db and messaging use @bitro/testing's databases and Redis namespaces, and its module test harness
 * boots modules on db and messaging: a cycle between projects that runs through test files only.
 */
export const ignoredCircularDependencies = [
  ['shared-testing', 'shared-db'],
  ['shared-testing', 'shared-messaging'],
];

// `@bitro/service-api/testing` (stand-ins of service-api interfaces) is the one second entry point, for tests only.
const deepImport = {
  group: ['@bitro/*/**', '!@bitro/service-api/testing'],
  message: 'Deep import: import a library only through its public entry point (its index.ts).',
};
const testStandIns = { group: ['@bitro/service-api/testing'], message: 'Test stand-ins are for tests (test/ and *.spec.ts) only.' };

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/generated', '**/.data', '**/tmp', '**/vite.config.*.timestamp*', '**/vitest.config.*.timestamp*'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints,
          ignoredCircularDependencies,
        },
      ],
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tooling configuration, not library code: a project's eslint.config.mjs re-exports this file,
    // its webpack.config.js uses webpack.shared.cjs, a domain's prisma.config.ts tools/prisma's config.
    files: ['**/eslint.config.mjs', '**/webpack.config.js', '**/prisma.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepImport, testStandIns] }] },
  },
];
