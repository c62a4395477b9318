import { z } from 'zod';

/** One thing reconciliation found: the id of what drifted (a redemption, journal, deposit, withdrawal or event) and why. */
export const driftItemSchema = z.object({ id: z.string(), reason: z.string() });
export type DriftItem = z.infer<typeof driftItemSchema>;

/** What one check found: how many in all, and the first of them (bounded, see {@link DRIFT_LIST_LIMIT}). */
export const driftListSchema = z.object({ count: z.int().min(0), items: z.array(driftItemSchema) });
export type DriftList = z.infer<typeof driftListSchema>;

/** Most items a report lists per category; `count` still counts them all. */
export const DRIFT_LIST_LIMIT = 100;

export const RECONCILIATION_CATEGORIES = ['redemptions', 'redemptionCredits', 'deposits', 'withdrawals', 'publications'] as const;
export type ReconciliationCategory = (typeof RECONCILIATION_CATEGORIES)[number];

export const reconciliationReportSchema = z.object({
  ok: z.boolean(),
  /** Who asked: the scheduled job, an admin (`?run=true`) or the `reconcile` command. */
  trigger: z.enum(['schedule', 'admin', 'command']),
  startedAt: z.iso.datetime(),
  durationMs: z.int().min(0),
  /** Approved redemptions and incomplete publications younger than this are still in flight, not drift. */
  graceSeconds: z.int().min(0),
  /** Settled rows and journals changed since this instant were compared; null: the whole history. */
  windowStart: z.iso.datetime().nullable(),
  categories: z.object({
    /** Approved (verified) longer than the grace and not credited; credited without its one matching credit journal. */
    redemptions: driftListSchema,
    /** Redemption credit journals (`redemption:<id>`) that match no approved redemption, or another amount or user. */
    redemptionCredits: driftListSchema,
    /** Confirmed deposits not credited exactly once for their confirmation; reversed ones not reversed exactly once. */
    deposits: driftListSchema,
    /** Withdrawals whose hold, settlement and release do not match their status. */
    withdrawals: driftListSchema,
    /** (event, consumer) publications still incomplete after the grace, or dead-lettered. */
    publications: driftListSchema,
  }),
});
export type ReconciliationReport = z.infer<typeof reconciliationReportSchema>;

/** A keyset position in a reconciliation listing: the last row's time and id. */
export interface ReconciliationPosition {
  at: Date;
  id: string;
}

/** One page of a listing over the rows that changed in [since, until), oldest first. */
export interface ReconciliationPageQuery {
  since: Date | null;
  until: Date;
  after: ReconciliationPosition | null;
  limit: number;
}

export interface ReconcileOptions {
  /** Default RECONCILE_GRACE_MINUTES. */
  graceMs?: number;
  /** Default RECONCILE_WINDOW_HOURS; null: compare the whole history. */
  windowMs?: number | null;
  /** Default `command`. */
  trigger?: ReconciliationReport['trigger'];
}
