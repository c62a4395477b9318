import { type PayloadOf, walletJournalPostedV1 } from '@bitro/service-api';
import type { Journal } from '../../persistence/wallet-prisma';

/**
 * The `wallet.journal-posted.v1` payload of a journal. Postings are listed by account code, so a journal published
 * again later (`audit:backfill`) carries exactly what its first publication did.
 */
export function journalPostedPayload(journal: Journal, postings: Array<{ account: string; amountSats: bigint }>): PayloadOf<typeof walletJournalPostedV1> {
  return {
    journalId: journal.id,
    kind: journal.kind,
    userId: journal.userId,
    amountSats: journal.amountSats.toString(),
    reference: journal.reference,
    description: journal.description,
    holdReference: journal.holdReference,
    postings: [...postings]
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0))
      .map((posting) => ({ account: posting.account, amountSats: posting.amountSats.toString() })),
    createdAt: journal.createdAt.toISOString(),
  };
}
