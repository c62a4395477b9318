import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from './command';

export interface CommandRun {
  commands: readonly Command[];
  name: string;
  argv: string[];
  /** The app's context without HTTP, workers or schedulers; closed after the command. */
  createContext(): Promise<INestApplicationContext>;
}

/** Runs one operator command; returns its exit code (2: unknown command or bad arguments). */
export async function runCommand({ commands, name, argv, createContext }: CommandRun): Promise<number> {
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`Unknown command "${name}". Commands (none: serve):\n${commands.map((c) => `  ${c.usage}`).join('\n')}`);
    return 2;
  }
  const app = await createContext();
  try {
    return await command.run(app, argv);
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    console.error(`${(error as Error).message}\nUsage: ${command.usage}`);
    return 2;
  } finally {
    await app.close();
  }
}
