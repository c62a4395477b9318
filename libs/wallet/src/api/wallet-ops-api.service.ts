import { Injectable } from '@nestjs/common';
import type { LedgerReport, WalletOpsApi } from '@bitro/service-api';
import { JournalPublisher } from '../features/ledger/journal.publisher';
import { LedgerVerifier } from '../features/ledger/ledger-verifier';

/** The wallet domain's implementation of {@link WalletOpsApi}: its operator functions. */
@Injectable()
export class WalletOpsApiService implements WalletOpsApi {
  constructor(
    private readonly verifier: LedgerVerifier,
    private readonly journals: JournalPublisher,
  ) {}

  verifyLedger(): Promise<LedgerReport> {
    return this.verifier.verifyLedger();
  }

  announceJournals(options?: { since?: Date }): Promise<{ journals: number }> {
    return this.journals.publishAll(options);
  }
}
