import { NestFactory } from '@nestjs/core';
import { type Command, runCommand as run } from '@bitro/cli';
import type { BitroEnv } from '@bitro/config';
import { EVENTS_COMMANDS } from '@bitro/messaging';
import { AppModule } from '../app/app.module';
import { adminCreateCommand } from './admin-create.command';
import { auditBackfillCommand } from './audit-backfill.command';
import { auditVerifyCommand } from './audit-verify.command';
import { ledgerVerifyCommand } from './ledger-verify.command';
import { reconcileCommand } from './reconcile.command';

export const COMMANDS: readonly Command[] = [adminCreateCommand, ledgerVerifyCommand, auditVerifyCommand, auditBackfillCommand, reconcileCommand, ...EVENTS_COMMANDS];

export function runCommand(env: BitroEnv, name: string, argv: string[]): Promise<number> {
  return run({
    commands: COMMANDS,
    name,
    argv,
    createContext: () =>
      NestFactory.createApplicationContext(AppModule.forRoot({ ...env, BITRO_ROLES: ['http'], LOG_LEVEL: 'warn', METRICS_PORT: 0 }), { logger: ['error'] }),
  });
}
