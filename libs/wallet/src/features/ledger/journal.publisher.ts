import { Injectable } from '@nestjs/common';
import { Outbox } from '@bitro/messaging';
import { walletJournalPostedV1 } from '@bitro/service-api';
import { WalletPrisma } from '../../persistence/wallet-prisma';
import { journalPostedPayload } from './journal-posted';

const BATCH = 500;

/**
 * Publishes existing journals again as `wallet.journal-posted.v1` (`audit:backfill`), oldest first, a batch per
 * transaction. The audit trail keys its records by journal, so journals it already holds are skipped there and only
 * missing ones are recorded. (A new journal is published by LedgerService in its own transaction.)
 */
@Injectable()
export class JournalPublisher {
  constructor(
    private readonly prisma: WalletPrisma,
    private readonly outbox: Outbox,
  ) {}

  async publishAll(options: { since?: Date } = {}): Promise<{ journals: number }> {
    let after: { createdAt: Date; id: string } | undefined;
    let journals = 0;
    for (;;) {
      const batch = await this.prisma.transaction(async (tx) => {
        const rows = await tx.journal.findMany({
          where: {
            ...(options.since ? { createdAt: { gte: options.since } } : {}),
            ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
          },
          include: { postings: { include: { account: { select: { code: true } } } } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: BATCH,
        });
        for (const { postings, ...journal } of rows) {
          await this.outbox.append(
            tx,
            walletJournalPostedV1,
            journalPostedPayload(
              journal,
              postings.map((posting) => ({ account: posting.account.code, amountSats: posting.amountSats })),
            ),
          );
        }
        return rows;
      });
      journals += batch.length;
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return { journals };
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
}
