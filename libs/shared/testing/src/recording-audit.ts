import { randomUUID } from 'node:crypto';

/** The caller's transaction as the audit trail receives it (the shape of service-api's `AuditTx`). */
export interface AuditedTx {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** An admin action as a domain reports it (the shape of service-api's `AdminActionInput`). */
export interface AuditedAction {
  action: string;
  actorId: string;
  subject: string;
  details?: Record<string, unknown>;
  idempotencyKey?: string;
}

/**
 * A stand-in for AUDIT_API in a domain's tests (provide it globally under the token): it records what it is asked to
 * write, with the transaction it came in, after running `inspect`, which may look into that transaction or throw as a
 * failing audit trail would.
 */
export class RecordingAudit {
  readonly records: Array<{ tx: AuditedTx | undefined; input: AuditedAction }> = [];
  inspect: ((tx: AuditedTx | undefined, input: AuditedAction) => Promise<void>) | undefined;

  async record(tx: AuditedTx | undefined, input: AuditedAction): Promise<{ id: string; seq: bigint; hash: string }> {
    await this.inspect?.(tx, input);
    this.records.push({ tx, input });
    return { id: randomUUID(), seq: BigInt(this.records.length), hash: '0'.repeat(64) };
  }

  /** The recorded actions, oldest first. */
  get actions(): AuditedAction[] {
    return this.records.map((record) => record.input);
  }

  reset(): void {
    this.records.length = 0;
    this.inspect = undefined;
  }
}
