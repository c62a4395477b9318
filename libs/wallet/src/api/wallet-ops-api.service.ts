import { Injectable } from '@nestjs/common';
import type { LedgerReport, WalletOpsApi } from '@bitro/service-api';
import { JournalAnnouncer } from './ledger/journal-announcer';
import { LedgerVerifier } from './ledger/ledger-verifier';

/** WALLET_OPS_API: the wallet's operator functions. */
@Injectable()
export class WalletOpsService implements WalletOpsApi {
  constructor(
    private readonly verifier: LedgerVerifier,
    private readonly announcer: JournalAnnouncer,
  ) {}

  verifyLedger(): Promise<LedgerReport> {
    return this.verifier.verifyLedger();
  }

  announceJournals(options?: { since?: Date }): Promise<{ journals: number }> {
    return this.announcer.announceAll(options);
  }
}
