import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { idempotencyKeyReused, type InvalidParam, ProblemException } from '@bitro/http';
import { GiftcardPrisma, Prisma } from '../persistence/giftcard-prisma';
import { processingLeaseMs } from '../redemption/processing-lease';

/** A problem answer as stored: enough to answer it again. */
export interface StoredProblem {
  code: string;
  detail: string;
  errors?: InvalidParam[];
  headers?: Record<string, string>;
}

/** What a request under a key was answered: a success body, or a problem. JSON-safe (stored as JSONB). */
export interface StoredAnswer {
  status: number;
  body?: unknown;
  problem?: StoredProblem;
}

export interface IdempotentResult {
  answer: StoredAnswer;
  replayed: boolean;
}

export const problemAnswer = (error: ProblemException): StoredAnswer => ({
  status: error.status,
  problem: { code: error.code, detail: error.message, ...(error.extra.errors ? { errors: error.extra.errors } : {}), ...(error.extra.headers ? { headers: error.extra.headers } : {}) },
});

/** Turns a stored problem answer back into the exception that answers it. */
export const toProblemException = (status: number, problem: StoredProblem): ProblemException =>
  new ProblemException(status, problem.code, problem.detail, { errors: problem.errors, headers: problem.headers });

/**
 * Idempotency-Key handling: the first request with a key claims it and its answer (success or a
 * problem below 500) is stored; a retry with the same key and the same request gets that answer again,
 * one with another request is refused. A claim whose request died (crash, 5xx before anything was
 * created) is taken over once the processing lease has passed; if it had already created a
 * redemption, `recover` answers from that redemption instead.
 */
@Injectable()
export class IdempotencyStore {
  private readonly staleAfterMs: number;

  constructor(
    private readonly prisma: GiftcardPrisma,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.staleAfterMs = processingLeaseMs(env);
  }

  async run(
    scope: { userId: string; key: string; fingerprint: string },
    work: () => Promise<StoredAnswer>,
    recover: (redemptionId: string) => Promise<StoredAnswer>,
  ): Promise<IdempotentResult> {
    const { userId, key, fingerprint } = scope;
    const inserted = await this.prisma.idempotencyKey.createMany({ data: [{ userId, key, requestHash: fingerprint }], skipDuplicates: true });
    if (inserted.count === 0) {
      const existing = await this.prisma.idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId, key } } });
      if (existing.requestHash !== fingerprint) {
        throw idempotencyKeyReused();
      }
      if (existing.responseStatus !== null) return { answer: existing.responseBody as unknown as StoredAnswer, replayed: true };
      const stale = Date.now() - existing.claimedAt.getTime() > this.staleAfterMs;
      const takenOver =
        stale &&
        (await this.prisma.idempotencyKey.updateMany({ where: { userId, key, claimedAt: existing.claimedAt, responseStatus: null }, data: { claimedAt: new Date() } })).count === 1;
      if (!takenOver) {
        throw new ProblemException(409, 'idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed; retry in a moment.', {
          headers: { 'retry-after': '1' },
        });
      }
      if (existing.redemptionId) return this.complete(userId, key, await recover(existing.redemptionId));
    }

    let answer: StoredAnswer;
    try {
      answer = await work();
    } catch (error) {
      if (!(error instanceof ProblemException) || error.status >= 500) {
        // Nothing to answer again: free the key unless a redemption was created under it.
        await this.prisma.idempotencyKey.deleteMany({ where: { userId, key, redemptionId: null, responseStatus: null } });
        throw error;
      }
      answer = problemAnswer(error);
    }
    return this.complete(userId, key, answer);
  }

  /** Links the redemption created under a key to it, inside the transaction that creates it. */
  async attach(tx: Prisma.TransactionClient, userId: string, key: string, redemptionId: string): Promise<void> {
    await tx.idempotencyKey.update({ where: { userId_key: { userId, key } }, data: { redemptionId } });
  }

  private async complete(userId: string, key: string, answer: StoredAnswer): Promise<IdempotentResult> {
    await this.prisma.idempotencyKey.update({
      where: { userId_key: { userId, key } },
      data: { responseStatus: answer.status, responseBody: answer as unknown as Prisma.InputJsonValue, completedAt: new Date() },
    });
    return { answer, replayed: false };
  }
}
