import { Injectable } from '@nestjs/common';
import { type LedgerEntryKind, walletJournalPostedV1 } from '@bitro/service-api';
import { executeNamed, Outbox, queryNamed, type SqlExecutor } from '@bitro/messaging';
import { z } from 'zod';
import type { Journal } from '../../persistence/wallet-prisma';
import { journalPostedPayload } from './journal-posted';
import type { HoldClosingInput, LedgerEntry, MovementInput } from './ledger-entry';
import { HoldClosedError, HoldExceededError, HoldNotFoundError, InsufficientFundsError, WalletInputError, WalletReferenceConflictError } from './ledger.errors';
import { accountCode, type AccountRole, planPostings, userDeltas } from './movements';
import { walletCounters } from './wallet-counters';

/** A movement to post. Release and settle move `amountSats` of the hold `holdReference`, or all it still holds. */
export type Movement =
  | (MovementInput & { kind: 'credit' | 'debit' | 'hold' | 'deposit' | 'deposit_reversal' })
  | (HoldClosingInput & { kind: 'release' | 'settle' });

type HoldClosing = Extract<Movement, { kind: 'release' | 'settle' }>;
const isClosing = (movement: Movement): movement is HoldClosing => movement.kind === 'release' || movement.kind === 'settle';

export interface Posted {
  entry: LedgerEntry;
  /** True when `reference` had already been posted with the same values and nothing new was written. */
  replayed: boolean;
}

const userIdSchema = z.uuid().transform((id) => id.toLowerCase());
const referenceSchema = z.string().min(1).max(200);
/** 21 million BTC: no single movement can be larger. */
export const MAX_SATS = 2_100_000_000_000_000n;
const amountSchema = z.bigint().positive().max(MAX_SATS);
const movementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['credit', 'debit', 'hold', 'deposit', 'deposit_reversal']),
    userId: userIdSchema,
    amountSats: amountSchema,
    reference: referenceSchema,
    description: z.string().max(500),
  }),
  z.object({
    kind: z.enum(['release', 'settle']),
    userId: userIdSchema,
    holdReference: referenceSchema,
    amountSats: amountSchema.optional(),
    reference: referenceSchema,
    description: z.string().max(500),
  }),
]);

export function parseUserId(userId: string): string {
  const parsed = userIdSchema.safeParse(userId);
  if (!parsed.success) throw new WalletInputError(`Not a user id: ${userId}`);
  return parsed.data;
}

export function toLedgerEntry(journal: Journal): LedgerEntry {
  return {
    journalId: journal.id,
    reference: journal.reference,
    kind: journal.kind,
    description: journal.description,
    ...userDeltas(journal.kind, journal.amountSats),
    createdAt: journal.createdAt.toISOString(),
  };
}

function sameMovement(journal: Journal, movement: Movement): boolean {
  return (
    journal.kind === movement.kind &&
    journal.userId === movement.userId &&
    journal.description === movement.description &&
    (isClosing(movement)
      ? journal.holdReference === movement.holdReference && (movement.amountSats === undefined || journal.amountSats === movement.amountSats)
      : journal.amountSats === movement.amountSats)
  );
}

function replay(journal: Journal, movement: Movement): Posted {
  if (!sameMovement(journal, movement)) throw new WalletReferenceConflictError(movement.reference);
  return { entry: toLedgerEntry(journal), replayed: true };
}

// The statements of every posting, beside the ORM (ADR 0036): named statements on a pgTransaction (the wallet's
// consumer), raw SQL without the query compiler in the wallet's Prisma transactions (its requests).
const FIND_ACCOUNTS = { name: 'wallet.accounts-by-code', text: 'SELECT id::text AS id, code FROM "wallet"."accounts" WHERE code = ANY($1::text[])' };

const JOURNAL_COLUMNS = `id::text AS id, reference, kind::text AS kind, user_id::text AS "userId", amount_sats::text AS "amountSats",
  description, hold_reference AS "holdReference", created_at AS "createdAt"`;

/**
 * A whole posting in one statement: claims the reference with the journal, writes its postings and moves the balances.
 * - The journal is written only when every account of `$7` exists (`accounts` tells how many do) and its reference is
 *   free: no `id` when either is not so.
 * - Its accounts are locked in id order, after the journal's reference is claimed (so a concurrent posting of the same
 *   reference waits there, holding no account), and each is moved only when it may go negative or stays at or above
 *   zero (`moved` tells how many were): postings sharing accounts cannot deadlock, and no balance that must not
 *   go negative ever does.
 * `created_at` is the process's clock, as the ORM wrote it: journals of one transaction keep their order.
 */
const POST_JOURNAL = {
  name: 'wallet.journal-post',
  text: `WITH account AS (
           SELECT id, code FROM "wallet"."accounts" WHERE code = ANY($7::text[])
         ), journal AS (
           INSERT INTO "wallet"."journals" (id, reference, kind, user_id, amount_sats, description, hold_reference, created_at)
           SELECT gen_random_uuid(), $1, $2, $3::uuid, $4::bigint, $5, $6, $9::timestamptz
            WHERE (SELECT count(*) FROM account) = cardinality($7::text[])
           ON CONFLICT (reference) DO NOTHING RETURNING *
         ), postings AS (
           INSERT INTO "wallet"."postings" (journal_id, account_id, amount_sats)
           SELECT journal.id, account.id, p.amount_sats FROM journal, unnest($7::text[], $8::bigint[]) AS p(code, amount_sats)
             JOIN account ON account.code = p.code
           ORDER BY account.id
         ), locked AS (
           SELECT id, code FROM "wallet"."accounts" WHERE code = ANY($7::text[]) AND EXISTS (SELECT 1 FROM journal) ORDER BY id FOR UPDATE
         ), moved AS (
           UPDATE "wallet"."accounts" a SET balance = a.balance + p.amount_sats, updated_at = now()
             FROM locked JOIN unnest($7::text[], $8::bigint[]) AS p(code, amount_sats) ON p.code = locked.code
            WHERE a.id = locked.id AND (a.allow_negative OR a.balance + p.amount_sats >= 0)
           RETURNING a.id
         )
         SELECT (SELECT count(*) FROM account)::int AS accounts, (SELECT count(*) FROM moved)::int AS moved, j.*
           FROM (SELECT 1) AS one LEFT JOIN (SELECT ${JOURNAL_COLUMNS} FROM journal) AS j ON true`,
};

const FIND_JOURNAL = { name: 'wallet.journal-by-reference', text: `SELECT ${JOURNAL_COLUMNS} FROM "wallet"."journals" WHERE reference = $1` };

const CREATE_USER_ACCOUNTS = {
  name: 'wallet.accounts-create-user',
  text: `INSERT INTO "wallet"."accounts" (id, code, kind, user_id)
         VALUES (gen_random_uuid(), $2, 'user_available', $1::uuid), (gen_random_uuid(), $3, 'user_held', $1::uuid)
         ON CONFLICT DO NOTHING`,
};

const LOCK_ACCOUNTS = {
  name: 'wallet.accounts-lock',
  text: 'SELECT code, balance::text AS balance FROM "wallet"."accounts" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
};

const LOCK_HOLD = {
  name: 'wallet.hold-lock',
  text: `SELECT kind::text AS kind, user_id::text AS "userId", amount_sats::text AS "amountSats" FROM "wallet"."journals"
         WHERE reference = $1 FOR UPDATE`,
};

const HOLD_CLOSINGS = {
  name: 'wallet.hold-closings',
  text: `SELECT reference, amount_sats::text AS "amountSats" FROM "wallet"."journals" WHERE hold_reference = $1 ORDER BY created_at, id`,
};

interface JournalRow extends Omit<Journal, 'amountSats' | 'createdAt'> {
  amountSats: string;
  createdAt: Date | string;
}

/** What {@link POST_JOURNAL} answers: the journal's columns (null when none was written) and its two counts. */
type PostedRow = { accounts: number; moved: number } & (JournalRow | { id: null });

const journalOf = (row: JournalRow): Journal => ({ ...row, amountSats: BigInt(row.amountSats), createdAt: new Date(row.createdAt) });

/**
 * Posts balanced journals. Every function takes the caller's transaction, so a posting commits or
 * rolls back together with whatever else the caller writes (e.g. an inbox row and an outbox event);
 * when one throws, the caller must roll that transaction back. Every new journal is announced as
 * `wallet.journal-posted.v1` in that transaction.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly outbox: Outbox) {}

  async post(tx: SqlExecutor, input: Movement): Promise<Posted> {
    const posted = await this.postOnce(tx, input);
    if (!posted.replayed) countMoney(posted.entry);
    return posted;
  }

  private async postOnce(tx: SqlExecutor, input: Movement): Promise<Posted> {
    const parsed = movementSchema.safeParse(input);
    if (!parsed.success) throw new WalletInputError(`Invalid ${input.kind}: ${z.prettifyError(parsed.error)}`);
    const movement: Movement = parsed.data;

    // A movement that closes no hold goes straight to claiming its reference: a repeated one finds it there.
    if (!isClosing(movement)) return this.write(tx, movement, movement.amountSats);
    const existing = await this.journal(tx, movement.reference);
    if (existing) return replay(existing, movement);

    // The closings of one hold queue for its row, so each sees what the others left; one of the
    // same reference may have committed meanwhile.
    const { remainingSats, closedBy } = await this.lockHold(tx, movement.userId, movement.holdReference);
    const winner = await this.journal(tx, movement.reference);
    if (winner) return replay(winner, movement);
    if (remainingSats === 0n) throw new HoldClosedError(movement.holdReference, closedBy);
    const amountSats = movement.amountSats ?? remainingSats;
    if (amountSats > remainingSats) throw new HoldExceededError(movement.holdReference, remainingSats, amountSats);
    return this.write(tx, movement, amountSats);
  }

  /**
   * Locks the user's accounts that movements of `kinds` touch until `tx` ends, in the order {@link post}
   * locks them, and returns the user's available balance. Movements posted next in `tx` then find that
   * balance unchanged, and several of them cannot deadlock with others taking the same accounts.
   */
  async lockAccounts(tx: SqlExecutor, userId: string, kinds: LedgerEntryKind[]): Promise<{ availableSats: bigint }> {
    const id = parseUserId(userId);
    const roles = new Set<AccountRole>(['available', ...kinds.flatMap((kind) => planPostings(kind, 1n).map((posting) => posting.role))]);
    const accountIds = await this.accountIds(tx, id, [...roles]);
    const accounts = await queryNamed<{ code: string; balance: string }>(tx, LOCK_ACCOUNTS, [[...accountIds.values()]]);
    return { availableSats: BigInt(accounts.find((account) => account.code === accountCode('available', id))?.balance ?? 0) };
  }

  private async write(tx: SqlExecutor, movement: Movement, amountSats: bigint): Promise<Posted> {
    const planned = planPostings(movement.kind, amountSats);
    if (planned.reduce((sum, posting) => sum + posting.amountSats, 0n) !== 0n) throw new Error(`Unbalanced ${movement.kind} journal`);
    const codes = planned.map((posting) => accountCode(posting.role, movement.userId));
    const post = async () => {
      const [row] = await queryNamed<PostedRow>(tx, POST_JOURNAL, [
        movement.reference,
        movement.kind,
        movement.userId,
        amountSats.toString(),
        movement.description,
        isClosing(movement) ? movement.holdReference : null,
        codes,
        planned.map((posting) => posting.amountSats.toString()),
        new Date().toISOString(),
      ]);
      return row as PostedRow;
    };
    let row = await post();
    if (row.accounts < codes.length) {
      // The user's first movement: their two accounts are created with it (and go with it should it roll back).
      await executeNamed(tx, CREATE_USER_ACCOUNTS, [movement.userId, accountCode('available', movement.userId), accountCode('held', movement.userId)]);
      row = await post();
      if (row.accounts < codes.length) throw new Error(`Wallet accounts ${codes.join(', ')} are missing (are the wallet migrations applied?)`);
    }
    if (row.id === null) {
      const winner = await this.journal(tx, movement.reference);
      if (!winner) throw new Error(`Journal ${movement.reference} was claimed but cannot be found`);
      return replay(winner, movement);
    }
    if (row.moved !== codes.length) throw new InsufficientFundsError(movement.userId, amountSats);
    const journal = journalOf(row);
    await this.outbox.append(
      tx,
      walletJournalPostedV1,
      journalPostedPayload(
        journal,
        planned.map((posting) => ({ account: accountCode(posting.role, movement.userId), amountSats: posting.amountSats })),
      ),
    );
    return { entry: toLedgerEntry(journal), replayed: false };
  }

  /** Locks the hold `holdReference` of `userId` until `tx` ends; what it still holds, and the closing that took from it last. */
  private async lockHold(tx: SqlExecutor, userId: string, holdReference: string): Promise<{ remainingSats: bigint; closedBy: string | null }> {
    const [hold] = await queryNamed<{ kind: string; userId: string; amountSats: string }>(tx, LOCK_HOLD, [holdReference]);
    if (!hold || hold.kind !== 'hold' || hold.userId !== userId) throw new HoldNotFoundError(userId, holdReference);
    const closings = await queryNamed<{ reference: string; amountSats: string }>(tx, HOLD_CLOSINGS, [holdReference]);
    const closedSats = closings.reduce((sum, closing) => sum + BigInt(closing.amountSats), 0n);
    return { remainingSats: BigInt(hold.amountSats) - closedSats, closedBy: closings.at(-1)?.reference ?? null };
  }

  private async journal(tx: SqlExecutor, reference: string): Promise<Journal | undefined> {
    const [row] = await queryNamed<JournalRow>(tx, FIND_JOURNAL, [reference]);
    return row && journalOf(row);
  }

  /** The ids of the accounts `roles` name, creating the user's two accounts on their first movement. */
  private async accountIds(tx: SqlExecutor, userId: string, roles: AccountRole[]): Promise<Map<AccountRole, string>> {
    const codes = roles.map((role) => accountCode(role, userId));
    const find = () => queryNamed<{ id: string; code: string }>(tx, FIND_ACCOUNTS, [codes]);
    let accounts = await find();
    if (accounts.length < codes.length) {
      await executeNamed(tx, CREATE_USER_ACCOUNTS, [userId, accountCode('available', userId), accountCode('held', userId)]);
      accounts = await find();
    }
    const idByCode = new Map(accounts.map((account) => [account.code, account.id]));
    return new Map(
      roles.map((role) => {
        const id = idByCode.get(accountCode(role, userId));
        if (!id) throw new Error(`Wallet account ${accountCode(role, userId)} is missing (are the wallet migrations applied?)`);
        return [role, id];
      }),
    );
  }
}

/** Money in (credits) and out (settled withdrawals) of user balances, for the metrics. */
function countMoney({ kind, availableDeltaSats, heldDeltaSats }: LedgerEntry): void {
  const creditKind = kind === 'credit' ? 'redemption' : kind === 'deposit' ? 'deposit' : undefined;
  if (creditKind) {
    walletCounters.credits.inc({ kind: creditKind });
    walletCounters.creditedSats.inc({ kind: creditKind }, Number(availableDeltaSats));
    walletCounters.satsMoved.inc({ direction: 'in' }, Number(availableDeltaSats));
  } else if (kind === 'settle') {
    // Settling takes the withdrawn amount and its fee out of the hold.
    walletCounters.satsMoved.inc({ direction: 'out' }, Number(-heldDeltaSats));
  }
}
