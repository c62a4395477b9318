/** What Core's wallet holds (getbalances.mine, and the outputs it keeps locked: already inside trusted). */
export interface WalletHoldings {
  trusted: bigint;
  untrustedPending: bigint;
  immature: bigint;
  /** listlockunspent's outputs; null when the node does not answer it. */
  locked: bigint | null;
}

/** What the gateway's tables say the wallet should hold, by category. */
export interface ExpectedHoldings {
  /** The opening balance and every acknowledged difference. */
  adjustments: bigint;
  /** Deposits detected or confirmed (not reversed)... */
  deposits: bigint;
  /** ...of which still unconfirmed: Core counts them as untrusted_pending. */
  pendingDeposits: bigint;
  /** Withdrawal outputs of broadcast and confirmed payouts. */
  paidOut: bigint;
  payoutFees: bigint;
  anchorFees: bigint;
}

export function walletTotal(w: WalletHoldings): bigint {
  return w.trusted + w.untrustedPending + w.immature;
}

export function expectedTotal(e: ExpectedHoldings): bigint {
  return e.adjustments + e.deposits - e.paidOut - e.payoutFees - e.anchorFees;
}

/**
 * The differences per category Core reports, wallet minus records: unconfirmed incoming (untrusted_pending against
 * unconfirmed deposits), coinbase (immature: the gateway never mines, so none is expected), and the rest (trusted).
 */
export function differences(w: WalletHoldings, e: ExpectedHoldings): { trusted: bigint; pending: bigint; immature: bigint; total: bigint } {
  const total = walletTotal(w) - expectedTotal(e);
  const pending = w.untrustedPending - e.pendingDeposits;
  const immature = w.immature;
  return { trusted: total - pending - immature, pending, immature, total };
}

/** The figures as stored (JSON) and shown: decimal strings of sats. */
export function figuresJson(w: WalletHoldings, e: ExpectedHoldings): Record<string, Record<string, string | null>> {
  const strings = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? null : String(v)]));
  return { wallet: strings(w), expected: strings(e), differences: strings(differences(w, e)) };
}
