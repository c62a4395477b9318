export function listPrismaProjects(root?: string): string[];
export function runPrisma(args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<{ stdout: string; stderr: string }>;
export function generateAll(options?: { root?: string; log?: (line: string) => void }): Promise<void>;
export const DATABASE_PROJECTS: Record<'all' | 'bitro' | 'gateway', (config: string) => boolean>;
export function migrateAll(options?: { databaseUrl?: string; root?: string; log?: (line: string) => void; database?: 'all' | 'bitro' | 'gateway' }): Promise<void>;
