import type { DepositStatus } from '../../generated/prisma/client';

export type DepositReversalReason = 'reorg' | 'conflict';

export type DepositEventKind = { kind: 'detected' } | { kind: 'confirmed' } | { kind: 'reversed'; reason: DepositReversalReason };

export interface DepositStep {
  status: DepositStatus;
  /** The events the step emits, in order. */
  events: DepositEventKind[];
}

/** What the node reports about an output now. */
export interface DepositObservation {
  /** Negative: conflicted, its inputs spent by another transaction that many blocks deep. */
  confirmations: number;
  blockHash: string | null;
}

/**
 * The deposit state machine, from the stored state (undefined: never seen) and what the node reports now.
 * Undefined for an output conflicted before it was ever announced: there is nothing to tell or to record.
 *
 * - conflicted → reversed `conflict` (once; a confirmed deposit can only get there through a reorg);
 * - confirmed, now in another block (or none) fewer than `required` deep → a reorg took its block: reversed `reorg`.
 *   In the same block it stays confirmed even below `required` (the setting was raised, or the tip was invalidated);
 * - never seen or reversed, now not conflicted → detected (again);
 * - detected with `required` confirmations → confirmed (in the same step as the detection if already that deep).
 */
export function nextDepositStep(
  previous: { status: DepositStatus; blockHash: string | null } | undefined,
  now: DepositObservation,
  required: number,
): DepositStep | undefined {
  if (now.confirmations < 0) {
    if (previous === undefined) return undefined;
    return { status: 'reversed', events: previous.status === 'reversed' ? [] : [{ kind: 'reversed', reason: 'conflict' }] };
  }
  const events: DepositEventKind[] = [];
  let status = previous?.status;
  if (status === 'confirmed' && now.confirmations < required && now.blockHash !== previous?.blockHash) {
    events.push({ kind: 'reversed', reason: 'reorg' });
    status = 'reversed';
  }
  if (status === undefined || status === 'reversed') {
    events.push({ kind: 'detected' });
    status = 'detected';
  }
  if (status === 'detected' && now.confirmations >= required) {
    events.push({ kind: 'confirmed' });
    status = 'confirmed';
  }
  return { status, events };
}
