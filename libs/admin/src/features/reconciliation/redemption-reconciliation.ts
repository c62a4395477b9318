import { Inject, Injectable } from '@nestjs/common';
import {
  DRIFT_LIST_LIMIT,
  type DriftList,
  GIFTCARD_RECONCILIATION_API,
  type GiftcardReconciliationApi,
  type ReconciliationPosition,
  type RedemptionCreditJournal,
  WALLET_RECONCILIATION_API,
  type WalletReconciliationApi,
} from '@bitro/service-api';
import { DriftCollector } from './drift-collector';

const PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RedemptionWindow {
  /** Approved before this and still `verified`: drift. */
  approvedBefore: Date;
  /** Credited redemptions and credit journals that changed in [since, until) are compared; since null: all. */
  since: Date | null;
  until: Date;
}

const byRedemption = (journals: RedemptionCreditJournal[]) => new Map(journals.map((journal) => [journal.redemptionId, journal]));
const ageOf = (at: Date, now: Date) => `${Math.round((now.getTime() - at.getTime()) / 1000)} s`;

/**
 * Redemptions ↔ wallet credits, each side read by its own domain: the gift-card domain lists approved redemptions, the
 * wallet its `redemption:<id>` credit journals, and each page is looked up on the other side by id (unique indexes), so
 * the work grows with the window, never with the whole history.
 */
@Injectable()
export class RedemptionReconciliation {
  constructor(
    @Inject(GIFTCARD_RECONCILIATION_API) private readonly giftcard: GiftcardReconciliationApi,
    @Inject(WALLET_RECONCILIATION_API) private readonly wallet: WalletReconciliationApi,
  ) {}

  /** Every approved redemption is credited, by exactly the one journal it names. */
  async redemptions(window: RedemptionWindow): Promise<DriftList> {
    const found = new DriftCollector();
    const uncredited = await this.giftcard.uncredited({ approvedBefore: window.approvedBefore, limit: DRIFT_LIST_LIMIT });
    const credits = byRedemption(await this.wallet.findRedemptionCredits(uncredited.items.map((redemption) => redemption.id)));
    found.addCounted(
      uncredited.count,
      uncredited.items.map((redemption) => {
        const journal = credits.get(redemption.id);
        const approved = `approved ${ageOf(redemption.changedAt, window.until)} ago and still verified`;
        return {
          id: redemption.id,
          reason: journal
            ? `${approved}: the wallet credited it (journal ${journal.journalId}) but the gift-card domain never learned of the credit`
            : `${approved}: the wallet has no credit journal redemption:${redemption.id}`,
        };
      }),
    );

    let after: ReconciliationPosition | null = null;
    for (;;) {
      const page = await this.giftcard.credited({ since: window.since, until: window.until, after, limit: PAGE });
      const journals = byRedemption(await this.wallet.findRedemptionCredits(page.map((redemption) => redemption.id)));
      for (const redemption of page) {
        const journal = journals.get(redemption.id);
        if (!journal) found.add(redemption.id, `credited, but the wallet has no credit journal redemption:${redemption.id}`);
        else if (journal.journalId !== redemption.walletJournalId)
          found.add(redemption.id, `credited by journal ${redemption.walletJournalId ?? 'none'}, but the wallet's credit is journal ${journal.journalId}`);
      }
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { at: last.changedAt, id: last.id };
    }
    return found.list();
  }

  /** Every redemption credit journal matches an approved redemption: same user, the quoted amount. Named by journal id. */
  async credits(window: RedemptionWindow): Promise<DriftList> {
    const found = new DriftCollector();
    let after: ReconciliationPosition | null = null;
    for (;;) {
      const page = await this.wallet.redemptionCredits({ since: window.since, until: window.until, after, limit: PAGE });
      const ids = page.map((journal) => journal.redemptionId).filter((id) => UUID.test(id));
      const redemptions = new Map((await this.giftcard.find(ids)).map((redemption) => [redemption.id, redemption]));
      for (const journal of page) {
        const reference = `redemption:${journal.redemptionId}`;
        const redemption = redemptions.get(journal.redemptionId);
        if (!redemption) found.add(journal.journalId, `${reference}: no such redemption`);
        else if (redemption.state !== 'verified' && redemption.state !== 'credited') found.add(journal.journalId, `${reference}: the redemption is ${redemption.state}, not approved`);
        else if (redemption.userId !== journal.userId) found.add(journal.journalId, `${reference}: credited to user ${journal.userId}, redeemed by ${redemption.userId}`);
        else if (redemption.amountSats !== journal.amountSats)
          found.add(journal.journalId, `${reference}: credited ${journal.amountSats} sats, the redemption was quoted ${redemption.amountSats ?? 'nothing'}`);
      }
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { at: last.createdAt, id: last.journalId };
    }
    return found.list();
  }
}
