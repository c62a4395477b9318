import { projectTestConfig } from '../../vitest.shared.mts';

// Three real processes per test file: generous timeouts, one file at a time (2 cores).
export default projectTestConfig(import.meta.dirname, { database: true, testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false });
