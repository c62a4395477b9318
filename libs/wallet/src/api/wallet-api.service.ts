import { Injectable } from '@nestjs/common';
import type { HistoryPage, HistoryQuery, HoldClosingInput, LedgerEntry, MovementInput, WalletApi, WalletBalance } from '@bitro/service-api';
import { LedgerHistory } from './ledger/ledger-history';
import { LedgerService, type Movement } from './ledger/ledger.service';
import { WalletPrisma } from './persistence/wallet-prisma';

/** The wallet domain's implementation of {@link WalletApi}: each movement in a transaction of its own. */
@Injectable()
export class WalletApiService implements WalletApi {
  constructor(
    private readonly prisma: WalletPrisma,
    private readonly ledger: LedgerService,
    private readonly ledgerHistory: LedgerHistory,
  ) {}

  credit(input: MovementInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'credit' });
  }

  debit(input: MovementInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'debit' });
  }

  hold(input: MovementInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'hold' });
  }

  release(input: HoldClosingInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'release' });
  }

  settle(input: HoldClosingInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'settle' });
  }

  balance(userId: string): Promise<WalletBalance> {
    return this.ledgerHistory.balance(userId);
  }

  history(userId: string, query?: HistoryQuery): Promise<HistoryPage> {
    return this.ledgerHistory.history(userId, query);
  }

  private async post(movement: Movement): Promise<LedgerEntry> {
    const { entry } = await this.prisma.transaction((tx) => this.ledger.post(tx, movement));
    return entry;
  }
}
