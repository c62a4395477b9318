import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import { EventSubscriber, handlersIn, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { auditBlockSealedV1, walletJournalPostedV1 } from '@bitro/service-api';
import type { Pool } from 'pg';
import { BlockAnchoring } from '../features/anchoring/block-anchoring';
import { JournalRecording } from '../features/trail/journal-recording';

const onTx = handlersIn<SqlExecutor>();

/** The audit trail's event consumer: records every ledger journal; anchors every sealed block. */
@EventSubscriber()
@Injectable()
export class AuditConsumer implements EventSubscriber {
  readonly consumer = 'audit';
  readonly handlers = [
    onTx(walletJournalPostedV1, (event, tx) => this.journals.record(tx, event.payload)),
    onTx(auditBlockSealedV1, (event, tx) => this.anchoring.anchor(event.payload, tx)),
  ];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly journals: JournalRecording,
    private readonly anchoring: BlockAnchoring,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}
