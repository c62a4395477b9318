import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { Outbox } from '@bitro/messaging';
import { AUDIT_API, type AuditApi, OwnRequestReviewError, USER_API, type UserApi, walletWithdrawalRejectedV1 } from '@bitro/service-api';
import { type Withdrawal, WalletPrisma, type WalletTx } from '../../persistence/wallet-prisma';
import { LedgerService } from '../ledger/ledger.service';
import { walletCounters } from '../ledger/wallet-counters';
import { requestPayment } from './withdrawal-command';
import { InvalidCursorError, WithdrawalNotAwaitingApprovalError, WithdrawalNotFoundError } from './withdrawal.errors';
import { withdrawalReferences } from './withdrawal-references';
import { toAdminWithdrawal, withdrawalStatusOf } from './withdrawal-view';
import type { AdminWithdrawal } from './withdrawals.contracts';

/**
 * An admin's decision on a withdrawal above the approval threshold. Each runs in one wallet transaction with the row
 * locked: the state change, its money (the release of a rejection) or its command to the gateway (an approval), the
 * event and the audit record commit together, and a second decision finds it decided.
 */
@Injectable()
export class WithdrawalReview {
  constructor(
    private readonly prisma: WalletPrisma,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    @Inject(USER_API) private readonly users: UserApi,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  /** Newest first; `cursor` from the previous page ({@link InvalidCursorError} otherwise). */
  async listAwaitingApproval(query: { limit: number; cursor?: string }): Promise<{ items: AdminWithdrawal[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !after) throw new InvalidCursorError();
    const rows = await this.prisma.withdrawal.findMany({
      where: { status: 'awaiting_approval', ...olderThan('createdAt', after) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = pageOf(rows, query.limit, (withdrawal) => withdrawal);
    return { items: page.items.map(toAdminWithdrawal), nextCursor: page.nextCursor };
  }

  /**
   * The withdrawal goes to the gateway with the maxFee chosen at the request: if fees rose since, the gateway fails it
   * as `fee-too-high` and the hold returns, as for any request. Throws {@link WithdrawalNotFoundError},
   * {@link WithdrawalNotAwaitingApprovalError}, OwnRequestReviewError, or UserNotActiveError when its user is no longer active.
   */
  approve({ withdrawalId, actorId }: { withdrawalId: string; actorId: string }): Promise<AdminWithdrawal> {
    return this.decide(withdrawalId, async (tx, withdrawal) => {
      if (withdrawal.userId === actorId.toLowerCase()) throw new OwnRequestReviewError(`withdrawal:${withdrawalId}`);
      // Throws UserNotActiveError: a frozen user's money does not leave (the withdrawal may still be rejected).
      await this.users.assertActive(withdrawal.userId);
      const approved = await tx.withdrawal.update({ where: { id: withdrawalId }, data: { status: 'requested', reviewedBy: actorId, reviewedAt: new Date() } });
      await requestPayment(this.outbox, tx, approved);
      await this.audit.record(tx, {
        action: 'withdrawal.approve',
        actorId,
        subject: `withdrawal:${withdrawalId}`,
        details: { userId: withdrawal.userId, amountSats: withdrawal.amountSats, address: withdrawal.address },
      });
      return approved;
    });
  }

  /** Nothing was sent: the whole hold (amount + max fee) returns to the user, who is told why. Throws as {@link approve}, except for the users. */
  reject({ withdrawalId, actorId, reason }: { withdrawalId: string; actorId: string; reason: string }): Promise<AdminWithdrawal> {
    return this.decide(withdrawalId, async (tx, withdrawal) => {
      const { userId, amountSats, address } = withdrawal;
      const references = withdrawalReferences(withdrawalId);
      await this.ledger.post(tx, { kind: 'release', userId, holdReference: references.hold, reference: references.release, description: 'Withdrawal rejected' });
      const rejected = await tx.withdrawal.update({
        where: { id: withdrawalId },
        data: { status: 'rejected', reviewedBy: actorId, reviewedAt: new Date(), reviewReason: reason },
      });
      await this.outbox.append(tx, walletWithdrawalRejectedV1, { withdrawalId, userId, amountSats: amountSats.toString(), address, reason });
      await this.audit.record(tx, { action: 'withdrawal.reject', actorId, subject: `withdrawal:${withdrawalId}`, details: { userId, amountSats, address, reason } });
      return rejected;
    });
  }

  private async decide(withdrawalId: string, decision: (tx: WalletTx, withdrawal: Withdrawal) => Promise<Withdrawal>): Promise<AdminWithdrawal> {
    const decided = await this.prisma.transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "wallet"."withdrawals" WHERE id = ${withdrawalId}::uuid FOR UPDATE`;
      const withdrawal = await tx.withdrawal.findUnique({ where: { id: withdrawalId } });
      if (!withdrawal) throw new WithdrawalNotFoundError(withdrawalId);
      if (withdrawal.status !== 'awaiting_approval') throw new WithdrawalNotAwaitingApprovalError(withdrawalId, withdrawalStatusOf(withdrawal));
      return decision(tx, withdrawal);
    });
    walletCounters.withdrawals.inc({ state: decided.status === 'rejected' ? 'refunded' : 'approved' });
    return toAdminWithdrawal(decided);
  }
}
