import { randomUUID } from 'node:crypto';
import type {
  DriftList,
  GiftcardReconciliationApi,
  ReconciledRedemption,
  ReconciliationPageQuery,
  RedemptionCreditJournal,
  WalletReconciliationApi,
} from '@bitro/service-api';

const EMPTY: DriftList = { count: 0, items: [] };
const inWindow = (at: Date, query: ReconciliationPageQuery) => (!query.since || at >= query.since) && at < query.until;
const afterPosition = (at: Date, id: string, query: ReconciliationPageQuery) =>
  !query.after || at > query.after.at || (at.getTime() === query.after.at.getTime() && id > query.after.id);
const byPosition = <T>(at: (row: T) => Date, id: (row: T) => string) => (a: T, b: T) => at(a).getTime() - at(b).getTime() || (id(a) < id(b) ? -1 : 1);

/** GIFTCARD_RECONCILIATION_API over redemptions a test sets, with the real one's paging and ordering. */
export class StandInGiftcard implements GiftcardReconciliationApi {
  readonly redemptions: ReconciledRedemption[] = [];

  add(redemption: Partial<ReconciledRedemption> & Pick<ReconciledRedemption, 'state'>): ReconciledRedemption {
    const full = { id: randomUUID(), userId: randomUUID(), amountSats: 6571n, walletJournalId: null, changedAt: new Date(), ...redemption };
    this.redemptions.push(full);
    return full;
  }

  async uncredited(input: { approvedBefore: Date; limit: number }) {
    const found = this.redemptions.filter((r) => r.state === 'verified' && r.changedAt < input.approvedBefore).sort(byPosition((r) => r.changedAt, (r) => r.id));
    return { count: found.length, items: found.slice(0, input.limit) };
  }

  async credited(query: ReconciliationPageQuery) {
    return this.redemptions
      .filter((r) => r.state === 'credited' && inWindow(r.changedAt, query) && afterPosition(r.changedAt, r.id, query))
      .sort(byPosition((r) => r.changedAt, (r) => r.id))
      .slice(0, query.limit);
  }

  async find(ids: readonly string[]) {
    return this.redemptions.filter((r) => ids.includes(r.id));
  }
}

/** WALLET_RECONCILIATION_API over credit journals and drift lists a test sets. */
export class StandInWallet implements WalletReconciliationApi {
  readonly credits: RedemptionCreditJournal[] = [];
  deposits: DriftList = EMPTY;
  withdrawals: DriftList = EMPTY;
  readonly windows: Array<Date | null> = [];

  /** The credit of a redemption, as RedemptionCredit posts it, a second ago (a run's window ends when it starts). */
  credit(redemption: Pick<ReconciledRedemption, 'id' | 'userId'> & { amountSats?: bigint | null }, journalId = randomUUID()): RedemptionCreditJournal {
    const journal = { redemptionId: redemption.id, journalId, userId: redemption.userId, amountSats: redemption.amountSats ?? 6571n, createdAt: new Date(Date.now() - 1_000) };
    this.credits.push(journal);
    return journal;
  }

  async redemptionCredits(query: ReconciliationPageQuery) {
    return this.credits
      .filter((j) => inWindow(j.createdAt, query) && afterPosition(j.createdAt, j.journalId, query))
      .sort(byPosition((j) => j.createdAt, (j) => j.journalId))
      .slice(0, query.limit);
  }

  async findRedemptionCredits(redemptionIds: readonly string[]) {
    return this.credits.filter((j) => redemptionIds.includes(j.redemptionId));
  }

  async depositDrift(input: { since: Date | null }) {
    this.windows.push(input.since);
    return this.deposits;
  }

  async withdrawalDrift(input: { since: Date | null }) {
    this.windows.push(input.since);
    return this.withdrawals;
  }
}
