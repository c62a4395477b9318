import { defineCounter } from '@bitro/metrics';

const STATES = ['accepted', 'approved', 'flagged', 'rejected', 'credited', 'failed'] as const;

/**
 * Redemptions this replica moved, by the state they reached, counted once the transition is committed: accepted (a
 * request took it in, pending), approved (verified, by the issuer or by a reviewer), flagged (held for review),
 * rejected, credited (the wallet's credit consumed), failed (an attempt that left it pending for the retry job).
 */
export const redemptionsMoved = defineCounter<'state'>({
  name: 'bitro_redemptions_total',
  help: 'Redemption transitions committed by this replica, by the state reached (failed: an attempt that left it pending).',
  labelNames: ['state'],
  initial: STATES.map((state) => ({ state })),
});

export type RedemptionTransition = (typeof STATES)[number];
