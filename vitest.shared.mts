import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * One vitest configuration for every project: each project's vitest.config.mts
 * calls this with its own directory so `nx affected -t test` runs only what changed.
 * `database: true` adds the global setup that prepares the template database.
 */
export function projectTestConfig(
  projectDir: string,
  { database = false, ...overrides }: NonNullable<ViteUserConfig['test']> & { database?: boolean } = {},
): ViteUserConfig {
  return defineConfig({
    root: projectDir,
    cacheDir: `${import.meta.dirname}/node_modules/.vite/${projectDir.replace(/[^a-z0-9]+/gi, '-')}`,
    resolve: { tsconfigPaths: true },
    test: {
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', '**/*.spec.ts'],
      exclude: ['**/node_modules/**', '**/dist/**', '**/.data/**'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: ['default'],
      // Integration tests get a migrated template database to clone (see libs/shared/testing).
      globalSetup: database ? [`${import.meta.dirname}/tools/testing/global-setup.mts`] : [],
      ...overrides,
    },
  });
}
