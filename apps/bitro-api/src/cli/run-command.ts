import { NestFactory } from '@nestjs/core';
import type { BitroEnv } from '@bitro/config';
import { AppModule } from '../app/app.module';
import { adminCreateCommand } from './admin-create.command';
import type { Command } from './command';
import { deadLettersCommand, resubmitCommand } from './events.command';
import { ledgerVerifyCommand } from './ledger-verify.command';

export const COMMANDS: readonly Command[] = [adminCreateCommand, ledgerVerifyCommand, deadLettersCommand, resubmitCommand];

export async function runCommand(env: BitroEnv, name: string, argv: string[]): Promise<number> {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`Unknown command "${name}". Commands (none: serve):\n${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...env, BITRO_ROLES: ['http'], LOG_LEVEL: 'warn' }), {
    logger: ['error'],
  });
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
