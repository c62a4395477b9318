import { projectTestConfig } from '../../vitest.shared.mts';

// The smoke run starts the whole product: one file, minutes, not seconds.
export default projectTestConfig(import.meta.dirname, { include: ['test/**/*.spec.ts'], testTimeout: 300_000 });
