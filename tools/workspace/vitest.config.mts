import { projectTestConfig } from '../../vitest.shared.mts';

// One spec at a time: the workspace-copy spec takes both cores for minutes.
export default projectTestConfig(import.meta.dirname, { include: ['**/*.spec.ts'], fileParallelism: false, testTimeout: 300_000 });
