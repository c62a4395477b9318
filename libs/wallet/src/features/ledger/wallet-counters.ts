import { defineCounter } from '@bitro/metrics';

const each = <L extends string>(label: L, values: readonly string[]) => values.map((value) => ({ [label]: value }) as Record<L, string>);

/**
 * What the wallet of this replica did, counted where each transition is written. Transitions made by an event handler
 * are counted as the handler writes them: a batch that is rolled back and retried counts them again.
 */
export const walletCounters = {
  /** Credits posted to user balances, by kind (redemption, deposit) and their sats. */
  credits: defineCounter<'kind'>({
    name: 'bitro_wallet_credits_total',
    help: 'Credits posted to user balances, by kind (redemption, deposit).',
    labelNames: ['kind'],
    initial: each('kind', ['redemption', 'deposit']),
  }),
  creditedSats: defineCounter<'kind'>({
    name: 'bitro_wallet_credited_sats_total',
    help: 'Satoshis credited to user balances, by kind (redemption, deposit).',
    labelNames: ['kind'],
    initial: each('kind', ['redemption', 'deposit']),
  }),
  deposits: defineCounter<'state'>({
    name: 'bitro_deposits_total',
    help: 'Deposits as the wallet saw them change: detected (first reported), confirmed (credited), reversed.',
    labelNames: ['state'],
    initial: each('state', ['detected', 'confirmed', 'reversed']),
  }),
  withdrawals: defineCounter<'state'>({
    name: 'bitro_withdrawals_total',
    help: 'Withdrawals as the wallet saw them change: requested, approved (by an admin), sent (broadcast), confirmed, failed, refunded (rejected by an admin, hold released).',
    labelNames: ['state'],
    initial: each('state', ['requested', 'approved', 'sent', 'confirmed', 'failed', 'refunded']),
  }),
  /** in: credited to users (redemptions, deposits); out: settled withdrawals (amount and network fee). */
  satsMoved: defineCounter<'direction'>({
    name: 'bitro_sats_moved_total',
    help: 'Satoshis moved: in, credited to users (redemptions, deposits); out, withdrawals settled (amount and network fee).',
    labelNames: ['direction'],
    initial: each('direction', ['in', 'out']),
  }),
};
