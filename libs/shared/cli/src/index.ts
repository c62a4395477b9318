// First: what it does must come before any other module loads (see the module).
import './process-start';
export type { Command } from './command';
export { runCommand, type CommandRun } from './run-command';
export { settleMain } from './settle-main';
export { printReport } from './print-report';
export { startMemoryTrim } from './memory-trim';
export { startIdleCollection, type IdleCollectionTimes } from './idle-collection';
