import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import { pgTransaction } from '@bitro/messaging';
import { type AdminActionInput, adminActionSchema, type AuditApi, type AuditRecordRef, type AuditTx } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { AuditAppender } from '../features/trail/audit-appender';

/** AUDIT_API: admin actions recorded by the domain that performs them, ideally in its own transaction. */
@Injectable()
export class AuditApiService implements AuditApi {
  constructor(
    private readonly appender: AuditAppender,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async record(tx: AuditTx | undefined, input: AdminActionInput): Promise<AuditRecordRef> {
    const { action, actorId, subject, details, idempotencyKey } = adminActionSchema.parse(input);
    const record = {
      type: 'admin.action',
      sourceKey: `admin.action:${idempotencyKey ?? randomUUID()}`,
      occurredAt: new Date(),
      payload: { action, actorId: actorId.toLowerCase(), subject, details },
    };
    const { id, seq, hash } = tx ? await this.appender.append(tx, record) : await pgTransaction(this.pool, (own) => this.appender.append(own, record));
    return { id, seq, hash };
  }
}
