import { projectTestConfig } from '../vitest.shared.mts';

export default projectTestConfig(import.meta.dirname, { include: ['**/*.spec.ts'], exclude: ['**/node_modules/**', 'regtest-node/**', 'workspace/**', 'bench/anchor/**'], fileParallelism: false });
