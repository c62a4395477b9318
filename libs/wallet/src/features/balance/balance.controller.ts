import { Controller, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type QueryOf, Route } from '@bitro/http';
import { LedgerHistory } from '../ledger/ledger-history';
import { getBalanceRoute, getTransactionsRoute, type HistoryPageView, type WalletBalanceView } from './balance.contracts';
import { KrwEstimator, satsToKrw } from './krw-estimator';

/** The signed-in user's balance (with a KRW estimate) and ledger entries. */
@Controller()
export class BalanceController {
  constructor(
    private readonly ledger: LedgerHistory,
    private readonly krw: KrwEstimator,
  ) {}

  @Route(getBalanceRoute)
  async balance(@Principal() principal: AccessClaims): Promise<WalletBalanceView> {
    const [balance, price] = await Promise.all([this.ledger.balance(principal.sub), this.krw.currentPrice()]);
    const totalSats = balance.availableSats + balance.heldSats;
    return {
      availableSats: balance.availableSats.toString(),
      heldSats: balance.heldSats.toString(),
      totalSats: totalSats.toString(),
      krw: price && {
        priceKrwPerBtc: price.krwPerBtc.toString(),
        availableKrw: satsToKrw(balance.availableSats, price.krwPerBtc).toString(),
        totalKrw: satsToKrw(totalSats, price.krwPerBtc).toString(),
        asOf: price.asOf.toISOString(),
        source: price.source,
      },
    };
  }

  @Route(getTransactionsRoute)
  async transactions(@Principal() principal: AccessClaims, @Query() query: QueryOf<typeof getTransactionsRoute>): Promise<HistoryPageView> {
    const page = await this.ledger.history(principal.sub, query);
    return {
      items: page.items.map((entry) => ({
        ...entry,
        availableDeltaSats: entry.availableDeltaSats.toString(),
        heldDeltaSats: entry.heldDeltaSats.toString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
