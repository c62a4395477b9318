import { projectTestConfig } from '../../vitest.shared.mts';

// Each drill runs its own PostgreSQL, Redis and the three processes: one file at a time (2 cores), generous timeouts.
// The workspace's global setup migrates the test template; the drills' own copies it once into a PostgreSQL data
// directory, and every drill starts a copy of that.
export default projectTestConfig(import.meta.dirname, {
  globalSetup: [`${import.meta.dirname}/../../tools/testing/global-setup.mts`, `${import.meta.dirname}/drill-setup.mts`],
  testTimeout: 420_000,
  hookTimeout: 120_000,
  fileParallelism: false,
});
