import { Injectable } from '@nestjs/common';
import { HoldClosedError, HoldNotFoundError, InsufficientFundsError, type LedgerEntry, type MovementInput, WalletReferenceConflictError } from '@bitro/service-api';
import { z } from 'zod';
import type { Journal, WalletTx } from '../persistence/wallet-prisma';
import { WalletInputError } from './ledger.errors';
import { accountCode, type AccountRole, planPostings, userDeltas } from './movements';

/** A movement to post. Release and settle move whatever the hold `holdReference` holds. */
export type Movement =
  | (MovementInput & { kind: 'credit' | 'debit' | 'hold' })
  | { kind: 'release' | 'settle'; userId: string; holdReference: string; reference: string; description: string };

export interface Posted {
  entry: LedgerEntry;
  /** True when `reference` had already been posted with the same values and nothing new was written. */
  replayed: boolean;
}

const userIdSchema = z.uuid().transform((id) => id.toLowerCase());
const referenceSchema = z.string().min(1).max(200);
/** 21 million BTC: no single movement can be larger. */
const MAX_SATS = 2_100_000_000_000_000n;
const movementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['credit', 'debit', 'hold']),
    userId: userIdSchema,
    amountSats: z.bigint().positive().max(MAX_SATS),
    reference: referenceSchema,
    description: z.string().max(500),
  }),
  z.object({
    kind: z.enum(['release', 'settle']),
    userId: userIdSchema,
    holdReference: referenceSchema,
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
    ('amountSats' in movement ? journal.amountSats === movement.amountSats : journal.holdReference === movement.holdReference)
  );
}

function replay(journal: Journal, movement: Movement): Posted {
  if (!sameMovement(journal, movement)) throw new WalletReferenceConflictError(movement.reference);
  return { entry: toLedgerEntry(journal), replayed: true };
}

/**
 * Posts balanced journals. Every function takes the caller's transaction, so a posting commits or
 * rolls back together with whatever else the caller writes (e.g. an inbox row and an outbox event);
 * when one throws, the caller must roll that transaction back.
 */
@Injectable()
export class LedgerService {
  async post(tx: WalletTx, input: Movement): Promise<Posted> {
    const parsed = movementSchema.safeParse(input);
    if (!parsed.success) throw new WalletInputError(`Invalid ${input.kind}: ${z.prettifyError(parsed.error)}`);
    const movement: Movement = parsed.data;

    const existing = await tx.journal.findUnique({ where: { reference: movement.reference } });
    if (existing) return replay(existing, movement);

    const holdReference = 'holdReference' in movement ? movement.holdReference : null;
    const amountSats = 'amountSats' in movement ? movement.amountSats : await this.heldBy(tx, movement.userId, movement.holdReference);
    const planned = planPostings(movement.kind, amountSats);
    if (planned.reduce((sum, posting) => sum + posting.amountSats, 0n) !== 0n) throw new Error(`Unbalanced ${movement.kind} journal`);
    const accountIds = await this.accountIds(tx, movement.userId, planned.map((posting) => posting.role));

    // Claims the reference (and, for release/settle, the hold) first: a concurrent posting of the
    // same reference waits here for this one to commit, then finds it.
    const [journal] = await tx.journal.createManyAndReturn({
      data: [
        {
          reference: movement.reference,
          kind: movement.kind,
          userId: movement.userId,
          amountSats,
          description: movement.description,
          holdReference,
        },
      ],
      skipDuplicates: true,
    });
    if (!journal) {
      const winner = await tx.journal.findUnique({ where: { reference: movement.reference } });
      if (winner) return replay(winner, movement);
      // The journals' other unique key: a concurrent release or settle closed the hold first.
      throw new HoldClosedError(holdReference ?? movement.reference, null);
    }

    // One conditional UPDATE per account, in account-id order: the balance of an account that may
    // not go negative never does, whatever runs concurrently, and journals sharing accounts lock
    // them in the same order, so they cannot deadlock.
    const postings = planned
      .map((posting) => ({ journalId: journal.id, accountId: accountIds.get(posting.role) as string, amountSats: posting.amountSats }))
      .sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
    for (const posting of postings) {
      const updated = await tx.$executeRaw`
        UPDATE "wallet"."accounts" SET balance = balance + ${posting.amountSats}, updated_at = now()
        WHERE id = ${posting.accountId}::uuid AND (allow_negative OR balance + ${posting.amountSats} >= 0)`;
      if (updated !== 1) throw new InsufficientFundsError(movement.userId, amountSats);
    }
    await tx.posting.createMany({ data: postings });
    return { entry: toLedgerEntry(journal), replayed: false };
  }

  /** What the hold `holdReference` of `userId` still holds (a hold is closed by one release or settle). */
  private async heldBy(tx: WalletTx, userId: string, holdReference: string): Promise<bigint> {
    const journals = await tx.journal.findMany({ where: { OR: [{ reference: holdReference }, { holdReference }] } });
    const hold = journals.find((journal) => journal.reference === holdReference);
    if (!hold || hold.kind !== 'hold' || hold.userId !== userId) throw new HoldNotFoundError(userId, holdReference);
    const closing = journals.find((journal) => journal.holdReference === holdReference);
    if (closing) throw new HoldClosedError(holdReference, closing.reference);
    return hold.amountSats;
  }

  /** The ids of the accounts `roles` name, creating the user's two accounts on their first movement. */
  private async accountIds(tx: WalletTx, userId: string, roles: AccountRole[]): Promise<Map<AccountRole, string>> {
    const codes = roles.map((role) => accountCode(role, userId));
    const find = () => tx.account.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    let accounts = await find();
    if (accounts.length < codes.length) {
      await tx.account.createMany({
        data: [
          { code: accountCode('available', userId), kind: 'user_available', userId },
          { code: accountCode('held', userId), kind: 'user_held', userId },
        ],
        skipDuplicates: true,
      });
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
