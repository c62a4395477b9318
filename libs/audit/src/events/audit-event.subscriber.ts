import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import { EventSubscriber, on, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { auditBlockSealedV1, walletJournalPostedV1 } from '@bitro/service-api';
import type { Pool } from 'pg';
import { BlockAnchoring } from '../anchor/block-anchoring';
import { AuditAppender } from '../trail/audit-appender';

/** The audit trail's event consumer: records every ledger journal; anchors every sealed block. */
@EventSubscriber()
@Injectable()
export class AuditEventSubscriber implements EventSubscriber {
  readonly consumer = 'audit';
  readonly handlers = [
    // Keyed by journal: two events announcing one journal still make one record.
    on(walletJournalPostedV1, async (event, tx) => {
      await this.appender.append(tx, {
        type: 'ledger.journal',
        sourceKey: `ledger.journal:${event.payload.journalId}`,
        occurredAt: new Date(event.payload.createdAt),
        payload: event.payload,
      });
    }),
    on(auditBlockSealedV1, (event, tx) => this.anchoring.anchor(event.payload, tx)),
  ];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly appender: AuditAppender,
    private readonly anchoring: BlockAnchoring,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}
