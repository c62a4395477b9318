import { NestFactory } from '@nestjs/core';
import { type Command, runCommand as run } from '@bitro/cli';
import type { GatewayEnv } from '@bitro/config';
import { EVENTS_COMMANDS } from '@bitro/messaging';
import { AppModule } from '../app/app.module';
import { bumpFeeCommand } from './bump-fee.command';

export const COMMANDS: readonly Command[] = [bumpFeeCommand, ...EVENTS_COMMANDS];

export function runCommand(env: GatewayEnv, name: string, argv: string[]): Promise<number> {
  return run({
    commands: COMMANDS,
    name,
    argv,
    createContext: () => NestFactory.createApplicationContext(AppModule.forRoot({ ...env, LOG_LEVEL: 'warn', METRICS_PORT: 0 }, { workers: false }), { logger: ['error'] }),
  });
}
