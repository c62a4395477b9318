import { projectTestConfig } from '../../vitest.shared.mts';

// Each drill runs its own PostgreSQL, Redis and the three processes: one file at a time (2 cores), generous timeouts.
// The global setup migrates a PostgreSQL data directory once; every drill starts a copy of it.
export default projectTestConfig(import.meta.dirname, {
  globalSetup: [`${import.meta.dirname}/drill-setup.mts`],
  testTimeout: 420_000,
  hookTimeout: 120_000,
  fileParallelism: false,
});
