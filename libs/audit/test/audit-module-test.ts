import { randomUUID } from 'node:crypto';
import { type ModuleTest, startModuleTest, type WaitOptions } from '@bitro/testing';
import { AuditModule } from '../src';
import { ANCHOR_PORT, type AnchorPort } from '../src/features/anchoring/anchor.port';

/**
 * AuditModule on the module test harness, served over HTTP; `env` over the harness's (only the `http` role unless it
 * says otherwise: no event workers, no block seal schedule), and `anchor` in place of the adapter AUDIT_ANCHOR picks.
 */
export function startAuditModule({ env, anchor }: { env?: Record<string, string>; anchor?: AnchorPort } = {}): Promise<ModuleTest> {
  return startModuleTest({ module: AuditModule, env, http: true, overrides: anchor ? [{ provide: ANCHOR_PORT, useValue: anchor }] : [] });
}

/** An admin action with a new actor. */
export const adminAction = (details: Record<string, unknown> = {}) => ({ action: 'user.suspend', actorId: randomUUID(), subject: `user:${randomUUID()}`, details });

/** A scenario's wait on the messaging workers and the block seal schedule (`BITRO_ROLES` with them): a busy machine is slow. */
export const BACKGROUND_WAIT: WaitOptions = { timeoutMs: 20_000 };
