import { Injectable } from '@nestjs/common';
import type { WalletApi, WalletBalance } from '@bitro/service-api';
import { LedgerHistory } from '../features/ledger/ledger-history';

/** The wallet domain's implementation of {@link WalletApi}. */
@Injectable()
export class WalletApiService implements WalletApi {
  constructor(private readonly ledgerHistory: LedgerHistory) {}

  balance(userId: string): Promise<WalletBalance> {
    return this.ledgerHistory.balance(userId);
  }
}
