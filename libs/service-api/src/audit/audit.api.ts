import { z } from 'zod';

/**
 * A transaction of the caller's (Prisma's interactive-transaction client or `pgTransaction`'s executor):
 * an audit record written through it commits or rolls back with the caller's own writes.
 */
export interface AuditTx {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** Plain JSON; amounts and other big integers as decimal strings (bigints are turned into them). */
const detailsSchema = z.record(z.string(), z.unknown());

export const adminActionSchema = z.object({
  /** What was done, `<area>.<verb>` (e.g. `user.suspend`, `withdrawal.approve`). */
  action: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'must be <area>.<verb>, lower case'),
  /** The admin's user id. */
  actorId: z.uuid(),
  /** What it was done to (`user:<id>`, `withdrawal:<id>`, ...). */
  subject: z.string().min(1).max(200),
  details: detailsSchema.default({}),
  /** Makes the action unique: recording the same key again returns the first record. Default: a new id. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type AdminActionInput = z.input<typeof adminActionSchema>;

export interface AuditRecordRef {
  id: string;
  seq: bigint;
  hash: string;
}

/** The audit trail as other domains see it; inject it with {@link AUDIT_API}. */
export interface AuditApi {
  /**
   * Appends an `admin.action` record. With `tx`, it is written in the caller's transaction (the action and its
   * record commit together); without, in a transaction of its own. Throws a zod error for invalid input.
   */
  record(tx: AuditTx | undefined, input: AdminActionInput): Promise<AuditRecordRef>;
}

export const AUDIT_API = Symbol.for('bitro.AuditApi');

export interface BrokenRecord {
  seq: bigint;
  /** The record found at (or, for a missing record, right after) that position; null when none. */
  id: string | null;
  reason: string;
}

export interface AuditReport {
  ok: boolean;
  /** Records and blocks checked. */
  records: number;
  blocks: number;
  firstBrokenRecord: BrokenRecord | null;
  firstBrokenBlock: { height: bigint; reason: string } | null;
}

/** Operator functions of the audit trail (the `audit:verify` command); inject with {@link AUDIT_OPS_API}. */
export interface AuditOpsApi {
  /** Recomputes every record hash in order and every block root. */
  verify(): Promise<AuditReport>;
}

export const AUDIT_OPS_API = Symbol.for('bitro.AuditOpsApi');
