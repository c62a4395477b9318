import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@bitro/messaging';
import type { PayloadOf, walletJournalPostedV1 } from '@bitro/service-api';
import { AuditAppender } from './audit-appender';

/** Records a posted ledger journal, keyed by journal: two events announcing one journal still make one record. */
@Injectable()
export class JournalRecording {
  constructor(private readonly appender: AuditAppender) {}

  async record(tx: SqlExecutor, journal: PayloadOf<typeof walletJournalPostedV1>): Promise<void> {
    await this.appender.append(tx, {
      type: 'ledger.journal',
      sourceKey: `ledger.journal:${journal.journalId}`,
      occurredAt: new Date(journal.createdAt),
      payload: journal,
    });
  }
}
