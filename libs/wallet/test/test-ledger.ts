import type { WalletBalance } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import type { HistoryPage, HistoryQuery, HoldClosingInput, LedgerEntry, MovementInput } from '../src/features/ledger/ledger-entry';
import { LedgerHistory } from '../src/features/ledger/ledger-history';
import { LedgerService, type Movement } from '../src/features/ledger/ledger.service';
import { WalletPrisma } from '../src/persistence/wallet-prisma';

/**
 * The wallet's ledger as its tests drive it: each movement posted by LedgerService in a transaction of its own (as a
 * use case would, alone), balances and history from LedgerHistory. Throws what they throw.
 */
export class TestLedger {
  private readonly prisma: WalletPrisma;
  private readonly ledger: LedgerService;
  private readonly ledgerHistory: LedgerHistory;

  constructor(mod: ModuleTest) {
    this.prisma = mod.get(WalletPrisma);
    this.ledger = mod.get(LedgerService);
    this.ledgerHistory = mod.get(LedgerHistory);
  }

  /** House (gift-card liability) → user available. */
  credit(input: MovementInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'credit' });
  }

  /** User available → house (fees). */
  debit(input: MovementInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'debit' });
  }

  /** User available → user held. */
  hold(input: MovementInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'hold' });
  }

  /** (Part of) a hold back to available. */
  release(input: HoldClosingInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'release' });
  }

  /** (Part of) a hold out to the hot wallet. */
  settle(input: HoldClosingInput): Promise<LedgerEntry> {
    return this.post({ ...input, kind: 'settle' });
  }

  balance(userId: string): Promise<WalletBalance> {
    return this.ledgerHistory.balance(userId);
  }

  history(userId: string, query?: HistoryQuery): Promise<HistoryPage> {
    return this.ledgerHistory.history(userId, query);
  }

  /** Any movement, e.g. a deposit or its reversal, which only the gateway's events post otherwise. */
  async post(movement: Movement): Promise<LedgerEntry> {
    const { entry } = await this.prisma.transaction((tx) => this.ledger.post(tx, movement));
    return entry;
  }
}
